using System.Text.Json;

namespace RecordsRequests.Features.Mailboxes;

/// <summary>The fields of a Google service account's JSON key that the application uses.</summary>
public sealed record ServiceAccountKey(string ClientEmail, string ClientId, string PrivateKeyId, string PrivateKey, string TokenUri)
{
    public const string GoogleTokenUri = "https://oauth2.googleapis.com/token";

    /// <summary>Reads a key file as Google's console downloads it; says in words what is wrong with anything else.</summary>
    public static ServiceAccountKey Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            throw new MailboxProblem("No service account key was given.", SetupGuide.GoogleWorkspace);
        }
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(json).RootElement;
        }
        catch (JsonException)
        {
            throw new MailboxProblem("The service account key is not a JSON file. Upload the .json key downloaded from the service account's Keys tab.", SetupGuide.GoogleWorkspace);
        }
        string Field(string name) => root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()! : "";
        if (Field("type") != "service_account")
        {
            throw new MailboxProblem("The JSON file is not a service account key (its \"type\" is not \"service_account\").", SetupGuide.GoogleWorkspace);
        }
        var key = new ServiceAccountKey(Field("client_email"), Field("client_id"), Field("private_key_id"), Field("private_key"),
            Field("token_uri") is { Length: > 0 } uri ? uri : GoogleTokenUri);
        if (key.ClientEmail.Length == 0 || key.PrivateKey.Length == 0)
        {
            throw new MailboxProblem("The service account key lacks its client_email or private_key.", SetupGuide.GoogleWorkspace);
        }
        if (!Uri.TryCreate(key.TokenUri, UriKind.Absolute, out var tokenUri) || tokenUri.Scheme != Uri.UriSchemeHttps)
        {
            throw new MailboxProblem("The service account key's token_uri is not an https address.", SetupGuide.GoogleWorkspace);
        }
        return key;
    }
}
