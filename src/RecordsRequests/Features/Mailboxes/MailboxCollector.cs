using System.Globalization;
using System.Text.Json.Nodes;

namespace RecordsRequests.Features.Mailboxes;

/// <summary>
/// What an officer asked to collect from one custodian's mailbox: mail received from <see cref="ReceivedFrom"/> up to
/// (not including) <see cref="ReceivedBefore"/>, matching <see cref="Terms"/> in the provider's own search (every
/// message in the range when there are none).
/// </summary>
public sealed record CollectionQuery(string Custodian, DateTimeOffset ReceivedFrom, DateTimeOffset ReceivedBefore, string Terms);

/// <summary>
/// One page of a provider's answer: the provider's ids of its messages, where the next page starts (null: this was the
/// last), and the provider's estimate of how many messages match in all (null: it gives none).
/// </summary>
public sealed record CollectionPage(IReadOnlyList<string> Ids, string? Next, long? Estimate);

/// <summary>
/// Lists a custodian's mail matching a query, a page at a time from a position the caller keeps, and reads each
/// message as raw MIME. Nothing in the mailbox is changed: collection reads, it never marks or moves.
/// </summary>
public interface IMailboxCollector
{
    /// <param name="position">Where the page starts, as the previous page's <see cref="CollectionPage.Next"/> gave it; null for the first.</param>
    Task<CollectionPage> ListAsync(CollectionQuery query, string? position, CancellationToken cancellationToken);

    Task<byte[]> GetRawAsync(CollectionQuery query, string id, CancellationToken cancellationToken);

    /// <summary>The most messages the provider returns for this query whatever the paging (null: no limit).</summary>
    int? ResultLimit(CollectionQuery query);
}

/// <summary>
/// Collection from Microsoft 365 through Microsoft Graph (application permission Mail.Read or Mail.ReadWrite, the
/// custodian's mailbox inside the application access policy). Every folder's mail is listed with
/// <c>GET /users/{upn}/messages</c> (https://learn.microsoft.com/graph/api/user-list-messages) and read with
/// <c>$value</c> (https://learn.microsoft.com/graph/outlook-get-mime-message). Without terms the date range is a
/// <c>$filter</c> on receivedDateTime and the list pages through everything. Graph does not combine <c>$filter</c> with
/// <c>$search</c> on messages, so with terms the range goes into the KQL of <c>$search</c> (<c>received&gt;=</c>), a day
/// wider on each side because KQL dates have no time zone, and the exact range is then applied to each message's
/// receivedDateTime here; a <c>$search</c> returns at most 1,000 messages
/// (https://learn.microsoft.com/graph/search-query-parameter#using-search-on-message-collections).
/// </summary>
public sealed class GraphCollector(ProviderApi api, string graphBaseUrl) : IMailboxCollector
{
    public const int SearchLimit = 1000;
    private const int PageSize = 100;

    private string User(CollectionQuery query) => $"{graphBaseUrl.TrimEnd('/')}/users/{Uri.EscapeDataString(query.Custodian)}";

    public int? ResultLimit(CollectionQuery query) => string.IsNullOrWhiteSpace(query.Terms) ? null : SearchLimit;

    public async Task<CollectionPage> ListAsync(CollectionQuery query, string? position, CancellationToken cancellationToken)
    {
        var url = position ?? FirstPage(query);
        using var response = await api.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), cancellationToken);
        var page = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken)) ?? new JsonObject();
        var ids = new List<string>();
        foreach (var item in page["value"]?.AsArray() ?? [])
        {
            if (item?["id"]?.GetValue<string>() is not { } id)
            {
                continue;
            }
            // A search's range is a day wider than asked (see above): the exact range is applied here.
            if (item["receivedDateTime"]?.GetValue<string>() is { } text
                && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var received)
                && (received < query.ReceivedFrom || received >= query.ReceivedBefore))
            {
                continue;
            }
            ids.Add(id);
        }
        var count = page["@odata.count"]?.GetValue<long>();
        return new CollectionPage(ids, page["@odata.nextLink"]?.GetValue<string>(), count);
    }

    private string FirstPage(CollectionQuery query)
    {
        var select = $"$select=id,receivedDateTime&$top={PageSize}";
        if (string.IsNullOrWhiteSpace(query.Terms))
        {
            var filter = $"receivedDateTime ge {Instant(query.ReceivedFrom)} and receivedDateTime lt {Instant(query.ReceivedBefore)}";
            return $"{User(query)}/messages?$filter={Uri.EscapeDataString(filter)}&$count=true&{select}";
        }
        var from = query.ReceivedFrom.UtcDateTime.Date.AddDays(-1);
        var before = query.ReceivedBefore.UtcDateTime.Date.AddDays(1);
        // The $search value is one double-quoted string; quotes inside it (an officer's phrase) are escaped with a backslash.
        var kql = $"({query.Terms.Trim()}) AND received>={Day(from)} AND received<={Day(before)}";
        return $"{User(query)}/messages?$search={Uri.EscapeDataString("\"" + kql.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"")}&{select}";
    }

    private static string Instant(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Day(DateTime day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public async Task<byte[]> GetRawAsync(CollectionQuery query, string id, CancellationToken cancellationToken)
    {
        using var response = await api.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"{User(query)}/messages/{Uri.EscapeDataString(id)}/$value"), cancellationToken);
        return await response.Content.ReadAsByteArrayAsync(cancellationToken);
    }
}

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
