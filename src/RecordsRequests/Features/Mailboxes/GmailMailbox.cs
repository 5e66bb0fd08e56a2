using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MimeKit;

namespace RecordsRequests.Features.Mailboxes;

/// <summary>
/// A Google Workspace mailbox through the Gmail REST API, as the delegated user of a service account. The first round
/// lists the inbox (https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages/list) from the
/// mailbox's history id at that moment; later rounds read only what was added since
/// (https://developers.google.com/workspace/gmail/api/guides/sync). Each message is read with <c>format=raw</c>
/// and labelled processed once taken. Mail goes out with <c>messages.send</c>.
/// </summary>
public sealed class GmailMailbox(MailboxConnection connection, ProviderApi api, string gmailBaseUrl) : IMailboxClient
{
    /// <summary>The label a processed message carries: visible to staff, and how a repeated listing skips it.</summary>
    public const string ProcessedLabel = "Taken in by RecordsRequests";

    private const string Inbox = "INBOX";
    private string? _processedLabelId;

    private string User => $"{gmailBaseUrl.TrimEnd('/')}/users/{Uri.EscapeDataString(connection.Mailbox)}";

    private string LabelToRead => string.IsNullOrWhiteSpace(connection.Folder) ? Inbox : connection.Folder.ToUpperInvariant() == Inbox ? Inbox : connection.Folder;

    public async Task<string> TestAsync(CancellationToken cancellationToken)
    {
        var profile = await GetJsonAsync($"{User}/profile", cancellationToken);
        return $"Signed in to Google Workspace as {profile["emailAddress"]?.GetValue<string>() ?? connection.Mailbox}: {profile["messagesTotal"]?.GetValue<long>() ?? 0} messages in the mailbox.";
    }

    public async Task FetchAsync(string? position, Func<IReadOnlyList<FetchedMail>, CancellationToken, Task<Task>> take, Func<string?, CancellationToken, Task> advance,
        CancellationToken cancellationToken)
    {
        _processedLabelId ??= await ProcessedLabelIdAsync(cancellationToken);
        var parts = position?.Split(':', 3) ?? [];
        if (parts is ["history", var since, ..])
        {
            try
            {
                await ReadHistoryAsync(since, parts.Length > 2 ? parts[2] : null, take, advance, cancellationToken);
                return;
            }
            catch (HistoryExpiredException)
            {
                // Gmail keeps history for about a week; older ids answer 404 and the guide says to list again in full.
                await advance(null, cancellationToken);
                parts = [];
            }
        }
        string start, pageToken;
        if (parts is ["list", var listStart, var listToken])
        {
            (start, pageToken) = (listStart, listToken);
        }
        else
        {
            start = (await GetJsonAsync($"{User}/profile", cancellationToken))["historyId"]?.ToString() ?? "0";
            pageToken = "";
        }
        while (true)
        {
            var url = $"{User}/messages?labelIds={Uri.EscapeDataString(LabelToRead)}&maxResults=100" + (pageToken.Length > 0 ? $"&pageToken={Uri.EscapeDataString(pageToken)}" : "");
            var page = await GetJsonAsync(url, cancellationToken);
            // The list is newest first; taking oldest first keeps a request's messages in the order they came.
            await TakeAsync((page["messages"]?.AsArray() ?? []).Select(m => m?["id"]?.GetValue<string>()).OfType<string>().Reverse(), take, cancellationToken);
            pageToken = page["nextPageToken"]?.GetValue<string>() ?? "";
            if (pageToken.Length == 0)
            {
                // What arrived while the list was read (or while intake was stopped) is in the history since its start.
                await advance($"history:{start}", cancellationToken);
                await ReadHistoryAsync(start, null, take, advance, cancellationToken);
                return;
            }
            await advance($"list:{start}:{pageToken}", cancellationToken);
        }
    }

    private async Task ReadHistoryAsync(string since, string? pageToken, Func<IReadOnlyList<FetchedMail>, CancellationToken, Task<Task>> take,
        Func<string?, CancellationToken, Task> advance, CancellationToken cancellationToken)
    {
        while (true)
        {
            var url = $"{User}/history?startHistoryId={Uri.EscapeDataString(since)}&historyTypes=messageAdded&labelId={Uri.EscapeDataString(LabelToRead)}"
                + (pageToken is { Length: > 0 } ? $"&pageToken={Uri.EscapeDataString(pageToken)}" : "");
            JsonNode page;
            try
            {
                page = await GetJsonAsync(url, cancellationToken);
            }
            catch (MailboxProblem e) when (e.InnerException is GmailNotFound)
            {
                throw new HistoryExpiredException();
            }
            await TakeAsync((page["history"]?.AsArray() ?? []).SelectMany(record => record?["messagesAdded"]?.AsArray() ?? [])
                .Select(added => added?["message"]?["id"]?.GetValue<string>()).OfType<string>(), take, cancellationToken);
            pageToken = page["nextPageToken"]?.GetValue<string>();
            if (pageToken is { Length: > 0 })
            {
                await advance($"history:{since}:{pageToken}", cancellationToken);
                continue;
            }
            await advance($"history:{page["historyId"]?.ToString() ?? since}", cancellationToken);
            return;
        }
    }

    /// <summary>Reads the page's messages, hands them to intake together, then labels each processed.</summary>
    private async Task TakeAsync(IEnumerable<string> ids, Func<IReadOnlyList<FetchedMail>, CancellationToken, Task<Task>> take, CancellationToken cancellationToken)
    {
        var fetched = new List<(string Id, FetchedMail Mail)>();
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            JsonNode message;
            try
            {
                message = await GetJsonAsync($"{User}/messages/{Uri.EscapeDataString(id)}?format=raw", cancellationToken);
            }
            catch (MailboxProblem e) when (e.InnerException is GmailNotFound)
            {
                continue; // Deleted by someone in the mailbox after it was listed: nothing left to take.
            }
            var labels = message["labelIds"]?.AsArray().Select(l => l?.GetValue<string>()).OfType<string>().ToList() ?? [];
            if (labels.Contains(_processedLabelId!))
            {
                continue;
            }
            var raw = Base64Url(message["raw"]?.GetValue<string>() ?? "");
            var spam = labels.Contains("SPAM") ? Intake.SpamVerdict.MarkedBy("Gmail", "it carries the Spam label") : null;
            fetched.Add((id, new FetchedMail(raw, $"Google Workspace {connection.Mailbox} message {id}", spam)));
        }
        if (fetched.Count == 0)
        {
            return;
        }
        await await take(fetched.Select(f => f.Mail).ToList(), cancellationToken);
        foreach (var (id, _) in fetched)
        {
            var body = new JsonObject { ["addLabelIds"] = new JsonArray(_processedLabelId), ["removeLabelIds"] = new JsonArray("UNREAD") };
            using var response = await api.SendAsync(() => JsonRequest(HttpMethod.Post, $"{User}/messages/{Uri.EscapeDataString(id)}/modify", body), cancellationToken);
        }
    }

    private async Task<string> ProcessedLabelIdAsync(CancellationToken cancellationToken)
    {
        var labels = await GetJsonAsync($"{User}/labels", cancellationToken);
        var existing = (labels["labels"]?.AsArray() ?? []).FirstOrDefault(l => l?["name"]?.GetValue<string>() == ProcessedLabel);
        if (existing?["id"]?.GetValue<string>() is { } id)
        {
            return id;
        }
        var create = new JsonObject { ["name"] = ProcessedLabel, ["labelListVisibility"] = "labelShow", ["messageListVisibility"] = "show" };
        using var response = await api.SendAsync(() => JsonRequest(HttpMethod.Post, $"{User}/labels", create), cancellationToken);
        var created = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return created?["id"]?.GetValue<string>() ?? throw new MailboxProblem("Gmail created the processed label without an id.", SetupGuide.GoogleWorkspace);
    }

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        using var mime = new MemoryStream();
        await message.WriteToAsync(mime, cancellationToken);
        var body = new JsonObject { ["raw"] = Convert.ToBase64String(mime.ToArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_') };
        using var response = await api.SendAsync(() => JsonRequest(HttpMethod.Post, $"{User}/messages/send", body), cancellationToken);
    }

    private async Task<JsonNode> GetJsonAsync(string url, CancellationToken cancellationToken)
    {
        using var response = await api.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), cancellationToken);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken)) ?? new JsonObject();
    }

    private static HttpRequestMessage JsonRequest(HttpMethod method, string url, JsonNode body) =>
        new(method, url) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };

    private static byte[] Base64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '='));
    }

    /// <summary>The Gmail API's error responses (https://developers.google.com/workspace/gmail/api/guides/handle-errors) in words.</summary>
    internal static MailboxProblem Explain(HttpStatusCode status, string body, string mailbox)
    {
        string message = "", reason = "";
        try
        {
            var error = JsonNode.Parse(body)?["error"];
            message = error?["message"]?.GetValue<string>() ?? "";
            reason = error?["errors"]?.AsArray().FirstOrDefault()?["reason"]?.GetValue<string>() ?? error?["status"]?.GetValue<string>() ?? "";
        }
        catch (JsonException)
        {
        }
        var words = status switch
        {
            HttpStatusCode.Forbidden when message.Contains("has not been used", StringComparison.OrdinalIgnoreCase) || message.Contains("is disabled", StringComparison.OrdinalIgnoreCase) =>
                "The Gmail API is not enabled in the service account's Google Cloud project: enable it under APIs & Services → Library → Gmail API.",
            HttpStatusCode.Forbidden => $"Google denied access to {mailbox} ({reason}): {message}",
            HttpStatusCode.BadRequest when message.Contains("Mail service not enabled", StringComparison.OrdinalIgnoreCase) =>
                $"{mailbox} has no Gmail service: the user needs a Workspace licence with Gmail turned on.",
            HttpStatusCode.NotFound => $"Gmail found nothing at that address for {mailbox} ({reason}): {message}",
            HttpStatusCode.Unauthorized => $"Gmail refused the service account's token twice ({reason}): {message}. Check the domain-wide delegation scopes.",
            _ => $"Gmail answered {(int)status} {status} ({reason}): {message}",
        };
        return new MailboxProblem(words, SetupGuide.GoogleWorkspace, status == HttpStatusCode.NotFound ? new GmailNotFound() : null);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private sealed class GmailNotFound : Exception;

    private sealed class HistoryExpiredException : Exception;
}
