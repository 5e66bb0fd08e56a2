using System.Globalization;
using System.Text.Json.Nodes;

namespace RecordsRequests.Features.Mailboxes;

/// <summary>
/// Collection from Google Workspace through the Gmail API, the service account acting as the custodian (domain-wide
/// delegation). Messages are listed with <c>users.messages.list</c> and a Gmail search in <c>q</c>
/// (https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages/list), spam and trash included
/// because they are records too, and read with <c>messages.get?format=raw</c>. The range is given to
/// <c>after:</c>/<c>before:</c> in seconds since the epoch, which Gmail reads as exact instants rather than dates in
/// Pacific time (https://developers.google.com/workspace/gmail/api/guides/filtering).
/// </summary>
public sealed class GmailCollector(ProviderApi api, string gmailBaseUrl) : IMailboxCollector
{
    private const int PageSize = 100;

    private string User(CollectionQuery query) => $"{gmailBaseUrl.TrimEnd('/')}/users/{Uri.EscapeDataString(query.Custodian)}";

    public int? ResultLimit(CollectionQuery query) => null;

    /// <summary>The Gmail search the collection runs: the range, then the officer's terms as typed.</summary>
    public static string Search(CollectionQuery query) =>
        string.Create(CultureInfo.InvariantCulture, $"after:{query.ReceivedFrom.ToUnixTimeSeconds()} before:{query.ReceivedBefore.ToUnixTimeSeconds()}")
        + (string.IsNullOrWhiteSpace(query.Terms) ? "" : " " + query.Terms.Trim());

    public async Task<CollectionPage> ListAsync(CollectionQuery query, string? position, CancellationToken cancellationToken)
    {
        var url = $"{User(query)}/messages?q={Uri.EscapeDataString(Search(query))}&includeSpamTrash=true&maxResults={PageSize}"
            + (position is { Length: > 0 } ? $"&pageToken={Uri.EscapeDataString(position)}" : "");
        using var response = await api.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), cancellationToken);
        var page = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken)) ?? new JsonObject();
        var ids = (page["messages"]?.AsArray() ?? []).Select(m => m?["id"]?.GetValue<string>()).OfType<string>().ToList();
        var next = page["nextPageToken"]?.GetValue<string>();
        return new CollectionPage(ids, next is { Length: > 0 } ? next : null, page["resultSizeEstimate"]?.GetValue<long>());
    }

    public async Task<byte[]> GetRawAsync(CollectionQuery query, string id, CancellationToken cancellationToken)
    {
        using var response = await api.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"{User(query)}/messages/{Uri.EscapeDataString(id)}?format=raw"), cancellationToken);
        var message = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        var raw = (message?["raw"]?.GetValue<string>() ?? "").Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(raw.PadRight(raw.Length + ((4 - (raw.Length % 4)) % 4), '='));
    }
}
