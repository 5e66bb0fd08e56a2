using System.Globalization;
using System.Text.Json.Nodes;

namespace RecordsRequests.Features.Mailboxes;

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
