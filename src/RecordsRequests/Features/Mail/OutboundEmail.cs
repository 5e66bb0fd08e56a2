using RecordsRequests.Features.Audit;
using RecordsRequests.Features.Shared;

namespace RecordsRequests.Features.Mail;

/// <summary>
/// An e-mail the system has decided to send. It is written in the same transaction as the change that causes it
/// (the transactional outbox), and delivered afterwards by <see cref="OutboxDispatcher"/>: a rolled-back change sends
/// nothing, and a committed one is delivered even if the process dies in between.
/// </summary>
public sealed class OutboundEmail : IAudited
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public Guid? RequestId { get; private set; }

    /// <summary>What the message is, e.g. Acknowledgement, Reminder; also what an idempotency key is scoped by.</summary>
    public MailKind Kind { get; private set; }

    /// <summary>Optional caller-chosen key; a second message with the same key is refused by a unique index.</summary>
    public string? IdempotencyKey { get; private set; }
    public string ToAddress { get; private set; } = "";
    public string? ToName { get; private set; }
    public string Subject { get; private set; } = "";
    public string BodyText { get; private set; } = "";

    /// <summary>Fixed when queued, so a redelivery after a crash carries the same Message-ID and can be recognised.</summary>
    public string InternetMessageId { get; private set; } = "";
    public string? InReplyTo { get; private set; }
    public DateTimeOffset QueuedAt { get; private set; }
    public DateTimeOffset? SentAt { get; private set; }
    public int Attempts { get; private set; }
    public string? LastError { get; private set; }
    public DateTimeOffset NextAttemptAt { get; private set; }

    private OutboundEmail() { }

    public static OutboundEmail Queue(Guid? requestId, MailKind kind, string toAddress, string? toName, string subject, string bodyText,
        DateTimeOffset now, string messageIdDomain, string? idempotencyKey = null, string? inReplyTo = null)
    {
        var email = new OutboundEmail
        {
            RequestId = requestId,
            Kind = kind,
            IdempotencyKey = idempotencyKey,
            ToAddress = toAddress,
            ToName = toName,
            Subject = subject,
            BodyText = bodyText,
            InReplyTo = inReplyTo,
            QueuedAt = now.ToUniversalTime(),
            NextAttemptAt = now.ToUniversalTime(),
        };
        email.InternetMessageId = $"{email.Id:N}@{messageIdDomain}";
        return email;
    }

    /// <summary>Delivered: the body the requester received is kept with its private links masked (<see cref="PrivateLinks"/>).</summary>
    internal void MarkSent(DateTimeOffset now)
    {
        SentAt = now.ToUniversalTime();
        BodyText = PrivateLinks.Mask(BodyText);
        Attempts++;
        LastError = null;
    }

    /// <summary>Backs off 30 s, 1, 2, 4 ... minutes, at most an hour, so a relay outage does not spin.</summary>
    internal void MarkFailed(string error, DateTimeOffset now)
    {
        Attempts++;
        LastError = error.Length > 2000 ? error[..2000] : error;
        var delay = TimeSpan.FromSeconds(Math.Min(3600, 30 * Math.Pow(2, Math.Min(Attempts - 1, 7))));
        NextAttemptAt = now.ToUniversalTime() + delay;
    }
}
