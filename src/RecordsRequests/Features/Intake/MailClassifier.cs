using MimeKit;

namespace RecordsRequests.Features.Intake;

public enum IntakeClassification
{
    /// <summary>Raw bytes stored, not yet classified (or processing was interrupted and will resume on redelivery).</summary>
    Pending,
    Request,
    Reply,
    Automated,
    Quarantined,
}

/// <summary>A request an incoming message belongs to, and how that was established.</summary>
public sealed record ThreadMatch(Guid RequestId, string TrackingNumber, string How);

/// <summary>Looks up existing requests for threading. The database implementation is <see cref="DatabaseThreadLookup"/>.</summary>
public interface IThreadLookup
{
    /// <summary>A request one of these Message-IDs (In-Reply-To/References) belongs to: our outbound mail or stored inbound mail.</summary>
    Task<ThreadMatch?> ByMessageIdsAsync(IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken);

    Task<ThreadMatch?> ByTrackingNumberAsync(string trackingNumber, CancellationToken cancellationToken);

    /// <summary>The sender's own request whose conversation has this normalized subject.</summary>
    Task<ThreadMatch?> ByRequesterSubjectAsync(string senderAddress, string normalizedSubject, CancellationToken cancellationToken);
}

/// <summary>What intake decided about one message.</summary>
public sealed record IntakeDecision(IntakeClassification Classification, string Reason, ThreadMatch? Thread = null, RequestDraft? Draft = null);

/// <summary>Everything intake reads from a message without the database; computed under the per-message time limit.</summary>
public sealed record MailFacts(
    MimeMessage Message,
    string? Automated,
    MailboxAddress? Sender,
    IReadOnlyList<string> ThreadIds,
    string? TrackingNumber,
    string NormalizedSubject,
    string BodyText,
    RequestDraft? Draft);

/// <summary>
/// Decides what a parsed message is. Order matters: automated mail is recognised first, because an auto-reply to our
/// acknowledgement carries the tracking number and would otherwise look like the requester's reply.
/// </summary>
public sealed class MailClassifier(IReadOnlyCollection<string> districtDomains)
{
    /// <summary>The CPU-bound part: signals, sender, references and the request draft.</summary>
    public MailFacts Examine(MimeMessage message)
    {
        var automated = AutomatedMail.Detect(message);
        var sender = SenderOf(message);
        var ids = message.References.Concat(message.InReplyTo is { } inReplyTo ? [inReplyTo] : [])
            .Where(id => !string.IsNullOrWhiteSpace(id)).Distinct(StringComparer.Ordinal).ToList();
        var body = MailContent.BodyText(message);
        var draft = automated is null && sender is not null ? Draft(message, sender, body) : null;
        return new MailFacts(message, automated, sender, ids, TrackingReference.FindIn(message.Subject),
            TrackingReference.NormalizeSubject(message.Subject), body, draft);
    }

    public async Task<IntakeDecision> DecideAsync(MailFacts facts, IThreadLookup threads, CancellationToken cancellationToken)
    {
        if (facts.Automated is not null)
        {
            // Kept on the request's timeline when it answers our mail (a bounce of the acknowledgement matters to the officer).
            var related = await FindThreadAsync(facts, threads, cancellationToken);
            return new IntakeDecision(IntakeClassification.Automated, facts.Automated, related.Match);
        }
        if (facts.Sender is null || facts.Draft is null)
        {
            var written = facts.Message.From.Mailboxes.FirstOrDefault()?.Address;
            return new IntakeDecision(IntakeClassification.Quarantined, string.IsNullOrWhiteSpace(written)
                ? "no sender address (From/Reply-To) to answer"
                : $"the sender address '{written}' is not one the district can write back to");
        }

        var thread = await FindThreadAsync(facts, threads, cancellationToken);
        if (thread.Match is not null)
        {
            return new IntakeDecision(IntakeClassification.Reply, thread.Match.How, thread.Match);
        }
        if (thread.UnknownTrackingNumber is not null)
        {
            return new IntakeDecision(IntakeClassification.Quarantined,
                $"subject names {thread.UnknownTrackingNumber}, which is not a request of this district");
        }

        var draft = facts.Draft;
        if (string.IsNullOrWhiteSpace(draft.Description))
        {
            return draft.Attachments.Count > 0
                ? new IntakeDecision(IntakeClassification.Request, "new request (attachments only)",
                    Draft: draft with { Description = $"(Request sent as attachments: {string.Join(", ", draft.Attachments.Select(a => a.FileName))})" })
                : new IntakeDecision(IntakeClassification.Quarantined, "no request text: empty subject and body, no attachments");
        }
        return new IntakeDecision(IntakeClassification.Request, draft.ForwardedBy is null ? "new request" : $"new request forwarded by {draft.ForwardedBy}", Draft: draft);
    }

    private static async Task<(ThreadMatch? Match, string? UnknownTrackingNumber)> FindThreadAsync(MailFacts facts, IThreadLookup threads,
        CancellationToken cancellationToken)
    {
        if (facts.ThreadIds.Count > 0 && await threads.ByMessageIdsAsync(facts.ThreadIds, cancellationToken) is { } byId)
        {
            return (byId, null);
        }
        if (facts.TrackingNumber is not null)
        {
            var byNumber = await threads.ByTrackingNumberAsync(facts.TrackingNumber, cancellationToken);
            return (byNumber, byNumber is null ? facts.TrackingNumber : null);
        }
        if (facts.Sender is not null && facts.NormalizedSubject.Length > 0
            && await threads.ByRequesterSubjectAsync(facts.Sender.Address.ToLowerInvariant(), facts.NormalizedSubject, cancellationToken) is { } byThread)
        {
            return (byThread, null);
        }
        return (null, null);
    }

    /// <summary>Reply-To names where answers should go; From is the fallback.</summary>
    public static MailboxAddress? SenderOf(MimeMessage message)
    {
        var from = message.From.Mailboxes.FirstOrDefault(m => IsUsable(m.Address));
        var replyTo = message.ReplyTo.Mailboxes.FirstOrDefault(m => IsUsable(m.Address));
        if (replyTo is not null)
        {
            return new MailboxAddress(string.IsNullOrWhiteSpace(replyTo.Name) ? from?.Name : replyTo.Name, replyTo.Address);
        }
        return from;
    }

    private static bool IsUsable(string? address) =>
        !string.IsNullOrWhiteSpace(address) && address.IndexOf('@', StringComparison.Ordinal) is > 0 and var at && at < address.Length - 1
        && MailboxAddress.TryParse(address, out _);

    public RequestDraft Draft(MimeMessage message, MailboxAddress sender, string body)
    {
        var subject = (message.Subject ?? "").Trim();
        var attachments = MailContent.Attachments(message);
        string? forwardedBy = null;
        string? name = string.IsNullOrWhiteSpace(sender.Name) ? null : sender.Name.Trim();
        var email = sender.Address;

        if (IsDistrictAddress(sender.Address) && MailContent.FindForwarded(message, body) is { } forwarded && !IsDistrictAddress(forwarded.SenderAddress))
        {
            forwardedBy = sender.Address;
            name = forwarded.SenderName;
            email = forwarded.SenderAddress;
            body = forwarded.Description;
            subject = forwarded.Subject ?? TrackingReference.NormalizeSubject(subject);
        }

        var description = body.Length == 0 ? subject : subject.Length == 0 || body.Contains(subject, StringComparison.OrdinalIgnoreCase) ? body : $"{subject}\n\n{body}";
        return new RequestDraft(name, email.ToLowerInvariant(), subject, MailContent.Truncate(description.Trim()),
            CitedLawDetector.Detect(subject, body), attachments, forwardedBy);
    }

    private bool IsDistrictAddress(string address)
    {
        var at = address.LastIndexOf('@');
        if (at < 0)
        {
            return false;
        }
        var domain = address[(at + 1)..];
        return districtDomains.Any(d => domain.Equals(d, StringComparison.OrdinalIgnoreCase) || domain.EndsWith("." + d, StringComparison.OrdinalIgnoreCase));
    }
}
