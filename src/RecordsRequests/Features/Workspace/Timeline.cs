using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;
using RecordsRequests.Features.Messages;
using RecordsRequests.Features.Redactions;
using RecordsRequests.Features.Requests;
using RecordsRequests.Features.Workflow;

namespace RecordsRequests.Features.Workspace;

/// <summary>
/// A request's history in words: what changed, from what to what, by whom; counsel's comments; every message; and
/// unredacted views as one line per person (the full list stays in the audit log, 603 CMR 23.07(1)).
/// </summary>
public static class Timeline
{
    /// <summary>A message body longer than this many characters is cut in the timeline.</summary>
    public const int MessageCut = 4000;

    private const string ViewedUnredacted = "Record.ViewedUnredacted";

    /// <summary>Events whose before and after values say what changed; the others are described by their action alone.</summary>
    private static readonly string[] Detailed = ["Request.StatusChanged", "Request.Updated", "Request.ReceiptCorrected", "Workflow.Decision", "Workflow.StepEntered", "Record.Created",
        "Workflow.PostalLetterNeeded", "MailCollection.Created", "MailCollection.StatusChanged"];

    // Rows the messages and counsel reviews already show in full, or bookkeeping no reader needs (a mail's send attempts).
    private static readonly string[] Hidden = ["Message.Created", "Message.Updated", "OutboundEmail.Updated", "InboundMessage.Updated", "CounselReview.Created"];

    public static async Task<IReadOnlyList<TimelineEntry>> LoadAsync(AppDbContext db, Guid requestId, IReadOnlyDictionary<string, string> officerNames,
        CancellationToken cancellationToken)
    {
        var events = await db.AuditEvents.AsNoTracking().Where(a => a.RequestId == requestId && !Hidden.Contains(a.Action)).OrderBy(a => a.Id)
            .Select(a => new { a.Id, a.OccurredAt, a.Action, a.Actor })
            .ToListAsync(cancellationToken);
        // Only the events described by their values carry them: not every redaction's before/after documents.
        var values = await db.AuditEvents.AsNoTracking().Where(a => a.RequestId == requestId && Detailed.Contains(a.Action))
            .Select(a => new { a.Id, a.Before, a.After })
            .ToDictionaryAsync(a => a.Id, a => (a.Before, a.After), cancellationToken);
        var messages = await db.Messages.AsNoTracking().Where(m => m.RequestId == requestId)
            .Select(m => new
            {
                m.RecordedAt, m.Direction, m.FromAddress, m.ToAddresses, m.Subject,
                Body = m.BodyText.Length > MessageCut ? m.BodyText.Substring(0, MessageCut) + " …" : m.BodyText,
            })
            .ToListAsync(cancellationToken);
        var reviews = await db.Set<CounselReview>().AsNoTracking().Where(r => r.RequestId == requestId).ToListAsync(cancellationToken);

        var entries = new List<TimelineEntry>();
        foreach (var group in events.Where(e => e.Action == ViewedUnredacted).GroupBy(e => e.Actor))
        {
            var times = group.Select(e => e.OccurredAt).ToList();
            entries.Add(new TimelineEntry(times[^1], $"Viewed unredacted records {times.Count} time{(times.Count == 1 ? "" : "s")}",
                "", null, group.Key, times, "views"));
        }
        TimelineEntry? previous = null;
        foreach (var e in events.Where(e => e.Action != ViewedUnredacted))
        {
            var (before, after) = values.GetValueOrDefault(e.Id);
            var (what, detail) = Describe(e.Action, before, after, officerNames);
            // Detection adds dozens of redactions at once: one line per burst of the same change by the same person.
            if (previous is not null && previous.What == what && previous.Actor == e.Actor && e.Action.StartsWith("Redaction.", StringComparison.Ordinal))
            {
                var count = (previous.Times?.Count ?? 1) + 1;
                entries[^1] = previous with { Times = [.. previous.Times ?? [previous.At], e.OccurredAt], Detail = $"{count} redactions" };
                previous = entries[^1];
                continue;
            }
            previous = new TimelineEntry(e.OccurredAt, what, detail, null, e.Actor);
            entries.Add(previous);
        }
        entries.AddRange(messages.Select(m => new TimelineEntry(m.RecordedAt,
            m.Direction == MessageDirection.Inbound ? $"E-mail received from {m.FromAddress}" : $"E-mail sent to {m.ToAddresses}",
            m.Subject, m.Body, Kind: "message")));
        entries.AddRange(reviews.Select(r => new TimelineEntry(r.DecidedAt,
            r.Decision == CounselDecision.Approved ? "Counsel approved the redactions" : "Counsel returned the request to the officer",
            r.Comment, null, r.Counsel, Kind: r.Decision == CounselDecision.Returned ? "counsel-returned" : "counsel")));
        return entries.OrderBy(e => e.At).ToList();
    }

    /// <summary>An audit event in words: what happened (from what to what) and a detail line. Also the audit log's wording.</summary>
    public static (string What, string Detail) Describe(string action, JsonDocument? before, JsonDocument? after, IReadOnlyDictionary<string, string> officers)
    {
        switch (action)
        {
            case "Request.Created":
                return ("Request opened", "");
            case ViewedUnredacted:
                return ("Viewed an unredacted record", "");
            case "Request.StatusChanged":
                return ($"Status: {StatusWords(before, "Status")} → {StatusWords(after, "Status")}", "");
            case "Request.Updated":
                if (Has(after, "AssignedOfficerId"))
                {
                    var to = Value(after, "AssignedOfficerId");
                    return (to is null ? "Unassigned" : $"Assigned to {officers.GetValueOrDefault(to, "a former staff member")}", "");
                }
                if (Value(after, "GoverningLaw") is { } law && Enum.TryParse<GoverningLaw>(law, out var governing))
                {
                    return ($"Governing law set: {governing.Label()}", "");
                }
                return ("Request details changed", string.Join(", ", Names(after).Select(Labels.Words)));
            case "Workflow.Decision":
                var node = Value(after, "node") ?? "";
                var outcome = Value(after, "outcome") ?? "";
                return ($"{LifecycleWords.Node(node)}: {LifecycleWords.Outcome(node, outcome)}", Value(after, "comments") ?? "");
            case "Workflow.StepEntered":
                return ($"Workflow reached “{LifecycleWords.Node(Value(after, "node") ?? "")}”", "");
            case "Workflow.PostalLetterNeeded":
                return ("A letter must be sent by post", $"The requester gave no e-mail address ({Labels.Words(Value(after, "kind") ?? "letter")}).");
            case "Request.ReceiptCorrected":
                return ($"Receipt corrected: {Value(after, "fromLocal")} → {Value(after, "toLocal")}", Value(after, "reason") ?? "");
            case "Redactions.SentToCounsel":
                return ("Redactions sent to counsel", "");
            case "Record.Created":
                return ("Record added", Value(after, "FileName") ?? "");
            case "MailCollection.Created":
                var terms = Value(after, "Terms") is { Length: > 0 } t ? $"search “{t}”" : "every message";
                return ($"Mail collection asked for: {Value(after, "Custodian")}",
                    $"received {Value(after, "FromDate")} to {Value(after, "ToDate")}, {terms}, through {Value(after, "ConnectionName")}");
            case "MailCollection.StatusChanged":
                return Value(after, "Status") switch
                {
                    "Finished" => ("Mail collection finished", $"{Value(after, "Messages") ?? "0"} messages in the archive, {Value(after, "NewToArchive") ?? "0"} new to it"),
                    "Stopped" => ("Mail collection stopped", Value(after, "Outcome") ?? ""),
                    _ => ("Mail collection running", ""),
                };
        }
        var dot = action.IndexOf('.', StringComparison.Ordinal);
        var (entity, verb) = dot < 0 ? (action, "") : (action[..dot], action[(dot + 1)..]);
        var noun = entity switch
        {
            "OutboundEmail" => "Letter",
            "InboundMessage" => "Incoming e-mail",
            "Requester" => "Requester details",
            "RequestClockInput" => "Clock input",
            "FeeEstimate" => "Fee estimate",
            "StatusLink" => "Requester's status link",
            "SavedSearch" => "Archive search",
            "MailCollection" => "Mail collection",
            "Release" => "Release",
            "Redaction" => "Redaction",
            "Record" => "Record",
            _ => Labels.Words(entity),
        };
        var done = verb switch
        {
            "Created" => entity == "OutboundEmail" ? "queued" : entity == "Redaction" ? "proposed" : "recorded",
            "Updated" => "changed",
            "StatusChanged" => "status changed",
            "Deleted" => "removed",
            _ => Labels.Words(verb).ToLowerInvariant(),
        };
        return ($"{noun} {done}", "");
    }

    private static string StatusWords(JsonDocument? document, string name) =>
        Value(document, name) is { } text && Enum.TryParse<RequestStatus>(text, out var status) ? status.Label() : "—";

    private static bool Has(JsonDocument? document, string name) =>
        document?.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(name, out _);

    private static string? Value(JsonDocument? document, string name) =>
        document?.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(name, out var value)
            ? value.ValueKind switch { JsonValueKind.String => value.GetString(), JsonValueKind.Null => null, _ => value.ToString() }
            : null;

    private static IEnumerable<string> Names(JsonDocument? document) =>
        document?.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.EnumerateObject().Select(p => p.Name) : [];
}
