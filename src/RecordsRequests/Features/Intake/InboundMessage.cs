using RecordsRequests.Features.Audit;

namespace RecordsRequests.Features.Intake;

/// <summary>
/// One distinct inbound message, recorded the moment its bytes are stored (content-addressed, by SHA-256) and before
/// anything is parsed. It says what intake made of it; quarantined rows are the officers' quarantine queue, spam rows
/// their spam list. A second
/// delivery of the same bytes finds this row and only counts the delivery.
/// </summary>
public sealed class InboundMessage : IAuditedWhenSettled
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public string RawSha256 { get; private set; } = "";
    public long SizeBytes { get; private set; }
    public IntakeSource Source { get; private set; }

    /// <summary>File name and mbox position, IMAP folder and UID, or SMTP envelope sender.</summary>
    public string? SourceReference { get; private set; }
    public DateTimeOffset ReceivedAt { get; private set; }
    public int Deliveries { get; private set; } = 1;

    public string? InternetMessageId { get; private set; }
    public string? Subject { get; private set; }
    public string? FromAddress { get; private set; }

    public IntakeClassification Classification { get; private set; }

    /// <summary>Why it was classified so: the quarantine reason, the automated signal, how a reply was threaded.</summary>
    public string? Reason { get; private set; }
    public Guid? RequestId { get; private set; }

    /// <summary>The timeline entry (messages row) made from this message, once processed.</summary>
    public Guid? MessageId { get; private set; }

    /// <summary>Set when the same requester sent a near-identical request recently, e.g. "PRR-2026-0003 (similarity 0.93)".</summary>
    public string? SimilarTo { get; private set; }

    /// <summary>The request an <see cref="IntakeClassification.UnprovenReply"/> names; it has not joined it.</summary>
    public Guid? ClaimedRequestId { get; private set; }

    /// <summary>What sender authentication found, when intake needed to know (a claimed district address or request).</summary>
    public string? SenderVerification { get; private set; }
    public DateTimeOffset? ProcessedAt { get; private set; }
    public string? ReclassifiedBy { get; private set; }

    /// <summary>SpamAssassin's points for mail the SMTP listener received directly; null when not scored.</summary>
    public double? SpamScore { get; private set; }

    /// <summary>Why mail the SMTP listener received could not be scored (the filter was unreachable, too slow, ...): it was taken in unscored.</summary>
    public string? SpamNotScored { get; private set; }

    /// <summary>The officer who released the message from the spam list, and when; intake then took it in as if it had just arrived.</summary>
    public string? ReleasedFromSpamBy { get; private set; }
    public DateTimeOffset? ReleasedFromSpamAt { get; private set; }

    /// <summary>Recorded and not read yet: audited once intake has decided it, with what was recorded at its arrival.</summary>
    bool IAuditedWhenSettled.Settled => Classification != IntakeClassification.Pending;

    private InboundMessage() { }

    public static InboundMessage Arrive(string rawSha256, long sizeBytes, IntakeSource source, string? sourceReference, DateTimeOffset now) => new()
    {
        RawSha256 = rawSha256,
        SizeBytes = sizeBytes,
        Source = source,
        SourceReference = Clip(sourceReference, 1000),
        ReceivedAt = now.ToUniversalTime(),
        Classification = IntakeClassification.Pending,
    };

    public void CountRedelivery() => Deliveries++;

    public void Describe(string? internetMessageId, string? subject, string? from)
    {
        InternetMessageId = Clip(internetMessageId, 1000);
        Subject = Clip(subject, 2000);
        FromAddress = Clip(from, 1000);
    }

    public void Classify(IntakeClassification classification, string reason, Guid? requestId, Guid? messageId, DateTimeOffset now)
    {
        Classification = classification;
        Reason = Clip(reason, 2000);
        RequestId = requestId;
        MessageId = messageId;
        ProcessedAt = now.ToUniversalTime();
    }

    public void NoteSimilar(string similarTo) => SimilarTo = Clip(similarTo, 300);

    public void NoteSenderVerification(string summary) => SenderVerification = Clip(summary, 500);

    public void NoteSpamScore(SpamScore score)
    {
        SpamScore = score.Points;
        SpamNotScored = Clip(score.NotScoredBecause, 500);
    }

    /// <summary>On the spam list (<see cref="SpamVerdict"/>): not a request, not answered, kept.</summary>
    public void HoldAsSpam(string reason, DateTimeOffset now) => Classify(IntakeClassification.Spam, reason, null, null, now);

    /// <summary>An officer judged a message on the spam list not to be spam: intake takes it in again, without the spam verdict.</summary>
    public void ReleaseFromSpam(string officer, DateTimeOffset now)
    {
        if (Classification != IntakeClassification.Spam)
        {
            throw new DomainException("Only a message on the spam list can be released from it.");
        }
        ReleasedFromSpamBy = Clip(officer, 300);
        ReleasedFromSpamAt = now.ToUniversalTime();
        Classification = IntakeClassification.Pending;
        ProcessedAt = null;
    }

    /// <summary>Held for an officer: it names a request but did not prove it belongs there.</summary>
    public void HoldAsUnproven(Guid claimedRequestId, string reason, DateTimeOffset now)
    {
        Classify(IntakeClassification.UnprovenReply, reason, null, null, now);
        ClaimedRequestId = claimedRequestId;
    }

    /// <summary>An officer judged a held message to be the requester's reply; it joins the request it named.</summary>
    public void ConfirmReply(string officer, Guid messageId, DateTimeOffset now)
    {
        if (Classification != IntakeClassification.UnprovenReply || ClaimedRequestId is not { } requestId)
        {
            throw new DomainException("Only a held reply can be added to the request it names.");
        }
        ReclassifiedBy = Clip(officer, 300);
        Classify(IntakeClassification.Reply, $"added to the request by {officer}: {Reason}", requestId, messageId, now);
    }

    /// <summary>An officer released a quarantined or misclassified message for processing again.</summary>
    public void Release(string officer)
    {
        if (Classification is IntakeClassification.Request or IntakeClassification.Reply)
        {
            throw new DomainException("This message already belongs to a request.");
        }
        if (Classification == IntakeClassification.Spam)
        {
            throw new DomainException("This message is on the spam list: release it from there.");
        }
        ReclassifiedBy = Clip(officer, 300);
        Classification = IntakeClassification.Pending;
        ProcessedAt = null;
    }

    private static string? Clip(string? value, int length) => value is null ? null : value.Length <= length ? value : value[..length];
}
