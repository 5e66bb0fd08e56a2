using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using RecordsRequests.Data;
using RecordsRequests.Features.Messages;
using RecordsRequests.Features.Requests;

namespace RecordsRequests.Features.Mail;

/// <summary>
/// Delivers queued e-mail. A message is claimed by moving its next attempt one lease ahead in a single statement
/// (<c>FOR UPDATE SKIP LOCKED</c>), so several app instances can run dispatchers without sending one message twice, and
/// no transaction stays open, nor any row locked, while the relay talks. The sent mark commits with the copy kept on the
/// request's timeline.
/// </summary>
public sealed class OutboxDelivery(AppDbContext db, IMailTransport transport, TimeProvider clock, IOptions<MailOptions> options, ReplyAddresses replyAddresses,
    ILogger<OutboxDelivery> log)
{
    /// <summary>Delivers what is due; returns how many messages were sent.</summary>
    public async Task<int> DeliverDueAsync(int batchSize, CancellationToken cancellationToken)
    {
        var sent = 0;
        for (var i = 0; i < batchSize; i++)
        {
            var email = await ClaimNextAsync(cancellationToken);
            if (email is null)
            {
                return sent;
            }
            var message = Compose(email, email.RequestId is { } requestId ? await replyAddresses.ForRequestAsync(requestId, cancellationToken) : null);
            try
            {
                // A send that outlives its lease is abandoned: by then another dispatcher may have claimed the message.
                using var lease = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                lease.CancelAfter(options.Value.DeliveryLease);
                await transport.SendAsync(message, lease.Token);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                log.LogWarning(e, "Delivery of {MessageId} failed", email.InternetMessageId);
                email.MarkFailed(e is OperationCanceledException ? $"The relay did not finish within {options.Value.DeliveryLease}." : e.Message, clock.GetUtcNow());
                await db.SaveChangesAsync(cancellationToken);
                db.ChangeTracker.Clear();
                continue;
            }
            var now = clock.GetUtcNow();
            email.MarkSent(now);
            // The copy kept on the timeline is the message as sent, its private links masked like the outbox row's:
            // staff read it, and the link opens the requester's records to whoever holds it.
            message.Body = new TextPart("plain") { Text = email.BodyText };
            using var raw = new MemoryStream();
            await message.WriteToAsync(raw, cancellationToken);
            db.Messages.Add(Message.Record(email.RequestId, MessageDirection.Outbound, RequestChannel.Email, email.Subject,
                options.Value.FromAddress, email.ToAddress, email.BodyText, raw.ToArray(), email.InternetMessageId, now));
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
            sent++;
        }
        return sent;
    }

    /// <summary>
    /// The next due message, its next attempt moved one lease ahead in the same statement: other dispatchers pass it by,
    /// and if this process dies mid-send it is due again when the lease ends, under the same Message-ID, so the pickup
    /// folder keeps one file and a receiving server can drop the repeat.
    /// </summary>
    private async Task<OutboundEmail?> ClaimNextAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var leaseEnds = now + options.Value.DeliveryLease;
        // ToListAsync, not SingleOrDefaultAsync: EF would wrap the UPDATE in a SELECT, which PostgreSQL refuses.
        var claimed = await db.Set<OutboundEmail>()
            .FromSql($"""
                UPDATE outbound_emails SET next_attempt_at = {leaseEnds}
                WHERE id = (SELECT id FROM outbound_emails WHERE sent_at IS NULL AND next_attempt_at <= {now} ORDER BY next_attempt_at LIMIT 1 FOR UPDATE SKIP LOCKED)
                RETURNING *
                """)
            .ToListAsync(cancellationToken);
        return claimed.SingleOrDefault();
    }

    /// <param name="replyTo">The request's secret reply address: a reply sent there proves its writer received this message.</param>
    private MimeMessage Compose(OutboundEmail email, MailboxAddress? replyTo)
    {
        var settings = options.Value;
        var message = new MimeMessage
        {
            MessageId = email.InternetMessageId,
            Subject = email.Subject,
            Date = email.QueuedAt,
            Body = new TextPart("plain") { Text = email.BodyText },
        };
        message.From.Add(new MailboxAddress(settings.FromName, settings.FromAddress));
        message.To.Add(new MailboxAddress(email.ToName ?? "", email.ToAddress));
        if (replyTo is not null)
        {
            message.ReplyTo.Add(replyTo);
        }
        if (email.InReplyTo is not null)
        {
            message.InReplyTo = email.InReplyTo;
            message.References.Add(email.InReplyTo);
        }
        // Auto-Submitted marks machine-sent mail (RFC 3834) so requesters' auto-replies do not answer it in a loop.
        message.Headers.Add("Auto-Submitted", "auto-generated");
        return message;
    }
}
