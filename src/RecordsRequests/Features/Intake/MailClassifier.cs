using MimeKit;
using RecordsRequests.Features.Mail;

namespace RecordsRequests.Features.Intake;

/// <summary>
/// Decides what a parsed message is. Order matters: automated mail is recognised first, because an auto-reply to our
/// acknowledgement carries the tracking number and would otherwise look like the requester's reply. A message joins a
/// request only with proof (our reply address or Message-ID, or the requester's own address with a verified sender);
/// a tracking number or a matching subject alone can be written by anyone, so such mail is held for an officer. A spam
/// verdict decides only what would otherwise open a request or claim one: automated mail and mail with no address to
/// answer never open a request anyway, and a reply proven to answer our own mail is not spam.
/// </summary>
/// <param name="trustedUpstream">The district mail servers whose spam verdict is believed (<see cref="UpstreamSpamVerdict"/>).</param>
public sealed class MailClassifier(IReadOnlyCollection<string> districtDomains, IReadOnlyCollection<string>? trustedUpstream = null)
{
    /// <summary>The CPU-bound part: signals, sender, references and the request draft.</summary>
    public MailFacts Examine(MimeMessage message, IntakeEnvelope? envelope = null)
    {
        var automated = AutomatedMail.Detect(message);
        var sender = SenderOf(message);
        var ids = message.References.Concat(message.InReplyTo is { } inReplyTo ? [inReplyTo] : [])
            .Where(id => !string.IsNullOrWhiteSpace(id)).Distinct(StringComparer.Ordinal).ToList();
        var body = MailContent.BodyText(message);
        var draft = automated is null && sender is not null ? Draft(message, sender, body) : null;
        var claimsDistrict = message.From.Mailboxes.Any(m => IsDistrictAddress(m.Address)) || (sender is not null && IsDistrictAddress(sender.Address));
        return new MailFacts(message, automated, sender, ids, TrackingReference.FindIn(message.Subject),
            TrackingReference.NormalizeSubject(message.Subject), body, draft, ReplyAddresses.TokensIn(message, envelope?.Recipients), claimsDistrict,
            UpstreamSpamVerdict.Of(message, trustedUpstream ?? [], envelope));
    }

    /// <param name="authenticate">Checks the sender; asked only when the answer matters (a claimed district address, a claimed request).</param>
    public async Task<IntakeDecision> DecideAsync(MailFacts facts, IThreadLookup threads, Func<CancellationToken, Task<SenderCheck>> authenticate,
        CancellationToken cancellationToken)
    {
        var proven = await ProvenThreadAsync(facts, threads, cancellationToken);
        if (facts.Automated is not null)
        {
            // Kept on the request's timeline when it answers our mail (a bounce of the acknowledgement matters to the
            // officer); an "auto-reply" that only names a tracking number is anyone's to write and is not filed there.
            var claimed = proven is null ? (await ClaimedThreadAsync(facts, threads, cancellationToken)).Match : null;
            return new IntakeDecision(IntakeClassification.Automated, claimed is { } named
                ? $"{facts.Automated}; names {named.TrackingNumber} but does not answer an e-mail the district sent, so not filed on it"
                : facts.Automated, proven);
        }
        if (facts.Sender is null || facts.Draft is null)
        {
            var written = facts.Message.From.Mailboxes.FirstOrDefault()?.Address;
            return new IntakeDecision(IntakeClassification.Quarantined, string.IsNullOrWhiteSpace(written)
                ? "no sender address (From/Reply-To) to answer"
                : $"the sender address '{written}' is not one the district can write back to");
        }
        if (proven is not null)
        {
            return new IntakeDecision(IntakeClassification.Reply, proven.How, proven);
        }
        if (facts.Spam is { } spam)
        {
            // Never opened, acknowledged or counted as a request; kept on the spam list, from which an officer can release it.
            return new IntakeDecision(IntakeClassification.Spam, spam.Reason);
        }

        var thread = await ClaimedThreadAsync(facts, threads, cancellationToken);
        if (thread.Match is { } candidate)
        {
            var from = facts.Message.From.Mailboxes.FirstOrDefault()?.Address;
            var fromRequester = from is not null && candidate.RequesterEmail is not null
                && from.Equals(candidate.RequesterEmail, StringComparison.OrdinalIgnoreCase);
            if (fromRequester && candidate.RequesterConfirmed)
            {
                return new IntakeDecision(IntakeClassification.Reply, $"{candidate.How}, from the requester's address, which they confirmed by our link",
                    candidate with { Proven = true });
            }
            var check = fromRequester ? await authenticate(cancellationToken) : null;
            if (check is { AlignedPass: true })
            {
                return new IntakeDecision(IntakeClassification.Reply, $"{candidate.How}, from the requester's verified address ({check.Summary})",
                    candidate with { Proven = true });
            }
            return new IntakeDecision(IntakeClassification.UnprovenReply,
                $"{candidate.How}, but it does not answer an e-mail the district sent and "
                + (fromRequester ? $"the requester has not confirmed their address and its sender could not be verified ({check!.Summary})" : "it is not from the requester's address")
                + "; an officer decides whether it belongs to the request", candidate);
        }
        if (thread.UnknownTrackingNumber is not null)
        {
            return new IntakeDecision(IntakeClassification.Quarantined,
                $"subject names {thread.UnknownTrackingNumber}, which is not a request of this district");
        }

        var draft = facts.Draft;
        var label = "new request";
        if (facts.ClaimsDistrictSender)
        {
            var check = await authenticate(cancellationToken);
            if (check.AlignedPass)
            {
                draft = Draft(facts.Message, facts.Sender, facts.BodyText, verifiedDistrictSender: true);
            }
            else
            {
                // A From header alone proves nothing: the message is outside mail from the address it names, and says so.
                label = $"new request from outside mail claiming a district address ({check.Summary})";
            }
        }
        if (string.IsNullOrWhiteSpace(draft.Description))
        {
            return draft.Attachments.Count > 0
                ? new IntakeDecision(IntakeClassification.Request, $"{label} (attachments only)",
                    Draft: draft with { Description = $"(Request sent as attachments: {string.Join(", ", draft.Attachments.Select(a => a.FileName))})" })
                : new IntakeDecision(IntakeClassification.Quarantined, "no request text: empty subject and body, no attachments");
        }
        return new IntakeDecision(IntakeClassification.Request, draft.ForwardedBy is null ? label : $"new request forwarded by {draft.ForwardedBy} (verified sender)",
            Draft: draft);
    }

    /// <summary>Proof that the writer received our mail: the request's reply address, or one of our outbound Message-IDs.</summary>
    private static async Task<ThreadMatch?> ProvenThreadAsync(MailFacts facts, IThreadLookup threads, CancellationToken cancellationToken)
    {
        if (facts.ReplyTokens.Count > 0 && await threads.ByReplyTokensAsync(facts.ReplyTokens, cancellationToken) is { } byToken)
        {
            return byToken;
        }
        if (facts.ThreadIds.Count > 0 && await threads.ByMessageIdsAsync(facts.ThreadIds, cancellationToken) is { Proven: true } byOurId)
        {
            return byOurId;
        }
        return null;
    }

    /// <summary>What the message says it belongs to, which anyone could have written.</summary>
    private static async Task<(ThreadMatch? Match, string? UnknownTrackingNumber)> ClaimedThreadAsync(MailFacts facts, IThreadLookup threads,
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

    /// <param name="verifiedDistrictSender">The From domain, a district one, passed sender authentication: only then is a forward unwrapped.</param>
    public RequestDraft Draft(MimeMessage message, MailboxAddress sender, string body, bool verifiedDistrictSender = false)
    {
        var subject = (message.Subject ?? "").Trim();
        var attachments = MailContent.Attachments(message);
        string? forwardedBy = null;
        string? name = string.IsNullOrWhiteSpace(sender.Name) ? null : sender.Name.Trim();
        var email = sender.Address;

        if (verifiedDistrictSender && IsDistrictAddress(sender.Address) && MailContent.FindForwarded(message, body) is { } forwarded && !IsDistrictAddress(forwarded.SenderAddress))
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

    /// <summary>An address at one of the district's own domains (or a subdomain of one).</summary>
    public bool IsDistrictAddress(string address)
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
