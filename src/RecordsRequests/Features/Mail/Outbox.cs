using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using RecordsRequests.Data;
using RecordsRequests.Features.Messages;

namespace RecordsRequests.Features.Mail;

/// <summary>Queues e-mail on the caller's unit of work; nothing is sent until the caller's SaveChanges commits.</summary>
public sealed class Outbox(AppDbContext db, TimeProvider clock, IOptions<MailOptions> options)
{
    public OutboundEmail Queue(Guid? requestId, MailKind kind, string toAddress, string? toName, string subject, string bodyText,
        string? idempotencyKey = null, string? inReplyTo = null)
    {
        if (!MailboxAddress.TryParse(toAddress, out _))
        {
            throw new DomainException($"'{toAddress}' is not an e-mail address the district can write to.");
        }
        var domain = MailboxAddress.Parse(options.Value.FromAddress).Domain;
        var email = OutboundEmail.Queue(requestId, kind, toAddress, toName, subject, bodyText, clock.GetUtcNow(), domain, idempotencyKey, inReplyTo);
        db.Add(email);
        return email;
    }

    /// <summary>
    /// The Message-ID of the requester's latest message on the request: a letter queued with it as its In-Reply-To is
    /// threaded under what they wrote, so their mail program shows one conversation.
    /// </summary>
    public Task<string?> ReplyTargetAsync(Guid requestId, CancellationToken cancellationToken) =>
        db.Messages.AsNoTracking()
            .Where(m => m.RequestId == requestId && m.Direction == MessageDirection.Inbound && m.InternetMessageId != null)
            .OrderByDescending(m => m.RecordedAt).Select(m => m.InternetMessageId).FirstOrDefaultAsync(cancellationToken);
}
