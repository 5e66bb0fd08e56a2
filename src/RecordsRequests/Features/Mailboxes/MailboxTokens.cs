using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Apis.Auth.OAuth2;
using Google.Apis.Auth.OAuth2.Responses;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Client;

namespace RecordsRequests.Features.Mailboxes;

/// <summary>
/// Access tokens for connections: MSAL's client-credentials flow for Microsoft 365 and Google.Apis.Auth's service
/// account with domain-wide delegation for Google. Each library keeps its own token cache, so one MSAL application or
/// Google credential is kept per connection and secret. Failures become <see cref="MailboxProblem"/>s in plain words.
/// </summary>
public sealed class MailboxTokens(ProviderHttp http, IOptions<MailboxOptions> options)
{
    /// <summary>Gmail: read, label as processed and send; never permanent deletion (which needs https://mail.google.com/).</summary>
    public const string GmailScope = "https://www.googleapis.com/auth/gmail.modify";

    /// <summary>Google IMAP and SMTP with XOAUTH2 accept only the full-mail scope.</summary>
    public const string GoogleMailScope = "https://mail.google.com/";

    private readonly ConcurrentDictionary<string, IConfidentialClientApplication> _microsoft = new();
    private readonly ConcurrentDictionary<string, ServiceAccountCredential> _google = new();

    /// <param name="forceRefresh">The provider refused the last token (expired, revoked): ask for a new one rather than the cached one.</param>
    /// <param name="user">
    /// Google: the user the service account acts as, when not the connection's own mailbox (a custodian whose mail is
    /// collected). Microsoft's application tokens are for the whole tenant, so it is not asked there.
    /// </param>
    public async Task<string> GetAsync(MailboxConnection connection, MailboxSecret secret, bool forceRefresh, CancellationToken cancellationToken, string? user = null) =>
        connection.Kind switch
        {
            MailboxKind.Microsoft365 => await MicrosoftAsync(connection, secret, options.Value.GraphResource, forceRefresh, cancellationToken),
            MailboxKind.ImapMicrosoftOAuth => await MicrosoftAsync(connection, secret, options.Value.ExchangeResource, forceRefresh, cancellationToken),
            MailboxKind.GoogleWorkspace => await GoogleAsync(connection, user ?? connection.Mailbox, secret, GmailScope, forceRefresh, cancellationToken),
            MailboxKind.ImapGoogleOAuth => await GoogleAsync(connection, connection.Mailbox, secret, GoogleMailScope, forceRefresh, cancellationToken),
            _ => throw new InvalidOperationException($"A {connection.Kind} connection signs in with a password, not a token."),
        };

    private async Task<string> MicrosoftAsync(MailboxConnection connection, MailboxSecret secret, string resource, bool forceRefresh, CancellationToken cancellationToken)
    {
        var tenant = connection.TenantId ?? throw new MailboxProblem("The connection has no tenant ID.", SetupGuide.Microsoft365);
        var clientId = connection.ClientId ?? throw new MailboxProblem("The connection has no application (client) ID.", SetupGuide.Microsoft365);
        var key = $"{connection.Id}|{resource}|{Fingerprint(connection.ProtectedSecret)}";
        var app = _microsoft.GetOrAdd(key, _ =>
        {
            var builder = ConfidentialClientApplicationBuilder.Create(clientId)
                .WithAuthority(new Uri(new Uri(options.Value.MicrosoftAuthorityHost), Uri.EscapeDataString(tenant) + "/"), validateAuthority: false)
                // The authority is given, not looked up: no call to a discovery endpoint that a sovereign cloud or a test would not have.
                .WithInstanceDiscovery(false)
                .WithHttpClientFactory(new MsalHttp(http.Client));
            if (secret.CertificatePkcs12 is { } pkcs12)
            {
                builder = builder.WithCertificate(X509CertificateLoader.LoadPkcs12(pkcs12, null, X509KeyStorageFlags.EphemeralKeySet), sendX5C: true);
            }
            else
            {
                builder = builder.WithClientSecret(secret.ClientSecret ?? throw new MailboxProblem("The connection has no client secret or certificate.", SetupGuide.Microsoft365));
            }
            return builder.Build();
        });
        try
        {
            var result = await app.AcquireTokenForClient([resource.TrimEnd('/') + "/.default"]).WithForceRefresh(forceRefresh).ExecuteAsync(cancellationToken);
            return result.AccessToken;
        }
        catch (MsalServiceException e)
        {
            throw ExplainMicrosoft(e, tenant, clientId);
        }
        catch (HttpRequestException e)
        {
            throw new MailboxProblem($"Could not reach Microsoft's sign-in service ({options.Value.MicrosoftAuthorityHost}): {e.Message}", SetupGuide.Microsoft365, e);
        }
        catch (MsalClientException e)
        {
            throw new MailboxProblem($"Microsoft's sign-in could not be used: {e.Message}", SetupGuide.Microsoft365, e);
        }
    }

    /// <summary>Entra ID's AADSTS codes (https://learn.microsoft.com/entra/identity-platform/reference-error-codes) in words.</summary>
    internal static MailboxProblem ExplainMicrosoft(MsalServiceException e, string tenant, string clientId)
    {
        var code = e.Message;
        string words;
        if (code.Contains("AADSTS90002", StringComparison.Ordinal) || code.Contains("AADSTS900023", StringComparison.Ordinal))
        {
            words = $"Wrong tenant: Microsoft knows no tenant '{tenant}'. Use the Directory (tenant) ID shown on the app registration's overview page.";
        }
        else if (code.Contains("AADSTS700016", StringComparison.Ordinal))
        {
            words = $"No application with client ID {clientId} is registered in tenant '{tenant}'. Check the Application (client) ID, and that the app was registered in the district's own tenant.";
        }
        else if (code.Contains("AADSTS7000215", StringComparison.Ordinal))
        {
            words = "The client secret is wrong. Paste the secret's Value (not its Secret ID) from Certificates & secrets, or create a new one.";
        }
        else if (code.Contains("AADSTS7000222", StringComparison.Ordinal))
        {
            words = "The client secret has expired. Create a new one under Certificates & secrets and enter it here.";
        }
        else if (code.Contains("AADSTS700027", StringComparison.Ordinal) || code.Contains("AADSTS700024", StringComparison.Ordinal))
        {
            words = "Microsoft refused the signed sign-in request: its time is outside the accepted range or the certificate is not the one uploaded to the app registration. Check this server's clock (clock skew) and the certificate's thumbprint.";
        }
        else if (code.Contains("AADSTS65001", StringComparison.Ordinal) || code.Contains("AADSTS7000112", StringComparison.Ordinal) || code.Contains("AADSTS500011", StringComparison.Ordinal))
        {
            words = "Consent missing: the application has not been granted admin consent in this tenant (or it is disabled). An administrator must grant admin consent on the app's API permissions page.";
        }
        else
        {
            words = $"Microsoft refused to sign the application in ({e.ErrorCode}): {FirstLine(e.Message)}";
        }
        return new MailboxProblem(words, SetupGuide.Microsoft365, e);
    }

    private async Task<string> GoogleAsync(MailboxConnection connection, string user, MailboxSecret secret, string scope, bool forceRefresh, CancellationToken cancellationToken)
    {
        var key = $"{connection.Id}|{user.ToLowerInvariant()}|{scope}|{Fingerprint(connection.ProtectedSecret)}";
        var credential = _google.GetOrAdd(key, _ => CreateGoogleCredential(user, secret, scope));
        try
        {
            if (forceRefresh)
            {
                await credential.RequestAccessTokenAsync(cancellationToken);
                return credential.Token.AccessToken;
            }
            return await credential.GetAccessTokenForRequestAsync(cancellationToken: cancellationToken);
        }
        catch (TokenResponseException e)
        {
            throw ExplainGoogle(e, credential.Id, user, scope);
        }
        catch (HttpRequestException e)
        {
            throw new MailboxProblem($"Could not reach Google's token service: {e.Message}", SetupGuide.GoogleWorkspace, e);
        }
    }

    private ServiceAccountCredential CreateGoogleCredential(string user, MailboxSecret secret, string scope)
    {
        var key = ServiceAccountKey.Parse(secret.ServiceAccountKeyJson);
        var initializer = new ServiceAccountCredential.Initializer(key.ClientEmail, key.TokenUri)
        {
            User = user,
            Scopes = [scope],
            KeyId = key.PrivateKeyId,
            HttpClientFactory = new GoogleHttp(http),
        };
        return new ServiceAccountCredential(initializer.FromPrivateKey(key.PrivateKey));
    }

    /// <summary>Google's token endpoint errors (https://developers.google.com/identity/protocols/oauth2/service-account#error-codes) in words.</summary>
    internal static MailboxProblem ExplainGoogle(TokenResponseException e, string serviceAccount, string user, string scope)
    {
        var error = e.Error?.Error ?? "";
        var description = e.Error?.ErrorDescription ?? "";
        string words;
        if (error == "unauthorized_client")
        {
            words = $"Domain-wide delegation is missing: the service account {serviceAccount} is not allowed the scope {scope}. A super administrator adds its client ID with exactly this scope under Security → Access and data control → API controls → Domain-wide delegation.";
        }
        else if (description.Contains("Invalid email or User ID", StringComparison.OrdinalIgnoreCase) || description.Contains("account not found", StringComparison.OrdinalIgnoreCase))
        {
            words = $"Google has no user {user} in the district's Workspace domain: enter the mailbox's own address (not an alias or group).";
        }
        else if (description.Contains("timeframe", StringComparison.OrdinalIgnoreCase) || description.Contains("iat", StringComparison.Ordinal) || description.Contains("exp", StringComparison.Ordinal))
        {
            words = "Google refused the sign-in because its time is out of range: this server's clock is off (clock skew). Synchronise it (NTP) and test again.";
        }
        else if (description.Contains("Invalid JWT Signature", StringComparison.OrdinalIgnoreCase) || error == "invalid_client")
        {
            words = $"Google does not accept this key for {serviceAccount}: the key was deleted or the service account disabled. Create a new JSON key and enter it here.";
        }
        else
        {
            words = $"Google refused the sign-in ({error}): {description}";
        }
        return new MailboxProblem(words, SetupGuide.GoogleWorkspace, e);
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    private static string Fingerprint(byte[] protectedSecret) => Convert.ToHexString(SHA256.HashData(protectedSecret))[..16];

    /// <summary>MSAL's requests use the shared client (and so the configured certificate authorities).</summary>
    private sealed class MsalHttp(HttpClient client) : IMsalHttpClientFactory
    {
        public HttpClient GetHttpClient() => client;
    }

    /// <summary>Google.Apis.Auth's requests go through a handler with the configured certificate authorities.</summary>
    private sealed class GoogleHttp(ProviderHttp http) : Google.Apis.Http.HttpClientFactory
    {
        protected override HttpMessageHandler CreateHandler(Google.Apis.Http.CreateHttpClientArgs args) => http.CreateHandler();
    }
}
