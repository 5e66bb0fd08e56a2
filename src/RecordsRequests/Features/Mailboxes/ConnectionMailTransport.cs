using Microsoft.EntityFrameworkCore;
using MimeKit;
using RecordsRequests.Data;
using RecordsRequests.Features.Mail;

namespace RecordsRequests.Features.Mailboxes;

/// <summary>
/// Sends the district's outgoing mail through the enabled connection marked for it (Graph sendMail, Gmail send, or
/// SMTP with XOAUTH2 or a password), and through the configured relay or pickup folder when there is none. A failure
/// is thrown to the outbox, which keeps the message and tries again.
/// </summary>
public sealed class ConnectionMailTransport(IServiceScopeFactory scopes, MailboxClients clients, IMailTransport configured) : IMailTransport
{
    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        MailboxConnection? connection;
        await using (var scope = scopes.CreateAsyncScope())
        {
            connection = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Set<MailboxConnection>().AsNoTracking()
                .Where(c => c.Enabled && c.SendsOutgoingMail).OrderBy(c => c.CreatedAt).FirstOrDefaultAsync(cancellationToken);
        }
        if (connection is null)
        {
            await configured.SendAsync(message, cancellationToken);
            return;
        }
        await using var client = clients.For(connection);
        await client.SendAsync(message, cancellationToken);
    }
}
