using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MimeKit;

namespace RecordsRequests.Features.Mailboxes;

/// <summary>
/// A Microsoft 365 mailbox through Microsoft Graph with application permissions (Mail.ReadWrite, Mail.Send). New mail
/// is found with a delta query on the folder (https://learn.microsoft.com/graph/delta-query-messages), read as raw
/// MIME with <c>$value</c> (https://learn.microsoft.com/graph/outlook-get-mime-message), and marked read with a
/// category once taken. Mail goes out with <c>sendMail</c> in MIME form (https://learn.microsoft.com/graph/api/user-sendmail).
/// </summary>
public sealed class GraphMailbox(MailboxConnection connection, ProviderApi api, string graphBaseUrl) : IMailboxClient
{
    /// <summary>The Outlook category a processed message carries: visible to staff, and how a repeated delta skips it.</summary>
    public const string ProcessedCategory = "Taken in by RecordsRequests";

    private const int PageSize = 50;

    private string User => $"{graphBaseUrl.TrimEnd('/')}/users/{Uri.EscapeDataString(connection.Mailbox)}";

    private string Folder => string.IsNullOrWhiteSpace(connection.Folder) || connection.Folder.Equals("INBOX", StringComparison.OrdinalIgnoreCase)
        ? "inbox" : Uri.EscapeDataString(connection.Folder);

    public async Task<string> TestAsync(CancellationToken cancellationToken)
    {
        using var response = await api.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"{User}/mailFolders/{Folder}"), cancellationToken);
        var folder = await ReadJsonAsync(response, cancellationToken);
        var total = folder["totalItemCount"]?.GetValue<int>() ?? 0;
        var unread = folder["unreadItemCount"]?.GetValue<int>() ?? 0;
        return $"Signed in to Microsoft 365 and opened {connection.Mailbox}, folder \"{folder["displayName"]?.GetValue<string>() ?? connection.Folder}\": {total} messages, {unread} unread.";
    }

    public async Task FetchAsync(string? position, Func<IReadOnlyList<FetchedMail>, CancellationToken, Task<Task>> take, Func<string?, CancellationToken, Task> advance,
        CancellationToken cancellationToken)
    {
        // The first round reads the folder as it stands; each later one starts from the delta link the last round ended with.
        // A round is a snapshot: mail that arrives while it pages (or while intake was stopped mid-round) is in the next
        // round, so rounds follow one another until one finds nothing new.
        var url = position ?? $"{User}/mailFolders/{Folder}/messages/delta?$select=id,categories,isRead,receivedDateTime";
        var taken = 0;
        for (var round = 0; round < MaxRoundsPerPoll;)
        {
            using var response = await api.SendAsync(() =>
            {
                var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.Add("Prefer", $"odata.maxpagesize={PageSize}");
                return request;
            }, cancellationToken);
            var page = await ReadJsonAsync(response, cancellationToken);
            // The page's messages are read, handed to intake together, then marked.
            var fetched = new List<(string Id, List<string> Categories, FetchedMail Mail)>();
            foreach (var item in page["value"]?.AsArray() ?? [])
            {
                if (item is null || item["@removed"] is not null || item["id"]?.GetValue<string>() is not { } id)
                {
                    continue;
                }
                var categories = item["categories"]?.AsArray().Select(c => c?.GetValue<string>()).OfType<string>().ToList() ?? [];
                if (categories.Contains(ProcessedCategory))
                {
                    continue;
                }
                var raw = await GetRawAsync(id, cancellationToken);
                fetched.Add((id, categories, new FetchedMail(raw, $"Microsoft 365 {connection.Mailbox} message {id}", SpamVerdict(raw))));
            }
            if (fetched.Count > 0)
            {
                await await take(fetched.Select(f => f.Mail).ToList(), cancellationToken);
                foreach (var (id, categories, _) in fetched)
                {
                    await MarkProcessedAsync(id, categories, cancellationToken);
                }
                taken += fetched.Count;
            }
            if (page["@odata.nextLink"]?.GetValue<string>() is { } next)
            {
                url = next;
                await advance(next, cancellationToken);
                continue;
            }
            url = page["@odata.deltaLink"]?.GetValue<string>()
                ?? throw new MailboxProblem("Microsoft Graph ended a delta round without a delta link.", SetupGuide.Microsoft365);
            await advance(url, cancellationToken);
            if (taken == 0)
            {
                return;
            }
            taken = 0;
            round++;
        }
    }

    /// <summary>Bounds one poll while mail keeps streaming in; the next poll carries on from the saved delta link.</summary>
    private const int MaxRoundsPerPoll = 10;

    private async Task<byte[]> GetRawAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await api.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"{User}/messages/{Uri.EscapeDataString(id)}/$value"), cancellationToken);
        return await response.Content.ReadAsByteArrayAsync(cancellationToken);
    }

    private async Task MarkProcessedAsync(string id, List<string> categories, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["isRead"] = true, ["categories"] = new JsonArray([.. categories.Append(ProcessedCategory).Select(c => JsonValue.Create(c))]) };
        using var response = await api.SendAsync(() => new HttpRequestMessage(HttpMethod.Patch, $"{User}/messages/{Uri.EscapeDataString(id)}")
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        }, cancellationToken);
    }

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        using var mime = new MemoryStream();
        await message.WriteToAsync(mime, cancellationToken);
        var base64 = Convert.ToBase64String(mime.ToArray());
        // sendMail takes the MIME message base64-encoded, as text/plain; it answers 202 Accepted.
        using var response = await api.SendAsync(() => new HttpRequestMessage(HttpMethod.Post, $"{User}/sendMail")
        {
            Content = new StringContent(base64, Encoding.ASCII, "text/plain"),
        }, cancellationToken);
    }

    /// <summary>
    /// Exchange Online's spam confidence level, which it sets itself on every message it delivers and strips from mail
    /// arriving from outside (an X-MS-Exchange-Organization header): 5 and 6 are spam, 9 high-confidence spam
    /// (https://learn.microsoft.com/defender-office-365/anti-spam-spam-confidence-level-scl-about).
    /// </summary>
    internal static Intake.SpamVerdict? SpamVerdict(byte[] raw)
    {
        var headers = HeaderList.Load(new MemoryStream(raw, writable: false));
        var scl = headers["X-MS-Exchange-Organization-SCL"]?.Trim();
        return int.TryParse(scl, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var level) && level >= 5
            ? Intake.SpamVerdict.MarkedBy("Microsoft 365", $"spam confidence level {level}")
            : null;
    }

    private static async Task<JsonNode> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken)) ?? new JsonObject();

    /// <summary>Graph's error responses (https://learn.microsoft.com/graph/errors) for a mailbox, in words.</summary>
    internal static MailboxProblem Explain(HttpStatusCode status, string body, string mailbox)
    {
        string code = "", message = "";
        try
        {
            var error = JsonNode.Parse(body)?["error"];
            code = error?["code"]?.GetValue<string>() ?? "";
            message = error?["message"]?.GetValue<string>() ?? "";
        }
        catch (JsonException)
        {
        }
        var words = (status, code) switch
        {
            (HttpStatusCode.Forbidden, _) when message.Contains("AccessPolicy", StringComparison.OrdinalIgnoreCase) || message.Contains("RBAC", StringComparison.OrdinalIgnoreCase) =>
                $"The mailbox {mailbox} is not in the application access policy (or RBAC for Applications scope) that limits this app. Add it to the policy's group or scope.",
            (HttpStatusCode.Forbidden, _) =>
                $"Access denied to {mailbox}: the application lacks the Graph application permissions Mail.ReadWrite and Mail.Send, or admin consent was not granted for them. ({code}: {message})",
            (HttpStatusCode.NotFound, _) when code is "ErrorInvalidUser" or "ResourceNotFound" or "MailboxNotEnabledForRESTAPI" or "ErrorItemNotFound" =>
                $"Microsoft 365 has no mailbox {mailbox}, or no such folder in it: enter the mailbox's user principal name and an existing folder. ({code})",
            (HttpStatusCode.Unauthorized, _) =>
                $"Microsoft Graph refused the application's token twice ({code}: {message}). The permissions may have been changed: grant admin consent again.",
            _ => $"Microsoft Graph answered {(int)status} {status} ({code}: {message}).",
        };
        return new MailboxProblem(words, SetupGuide.Microsoft365);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
