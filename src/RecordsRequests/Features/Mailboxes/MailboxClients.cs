using Microsoft.Extensions.Options;

namespace RecordsRequests.Features.Mailboxes;

/// <summary>Makes the client for a connection's kind, with its secret decrypted and its token source.</summary>
public sealed class MailboxClients(MailboxSecrets secrets, MailboxTokens tokens, ProviderHttp http, IOptions<MailboxOptions> options, TimeProvider clock)
{
    public IMailboxClient For(MailboxConnection connection)
    {
        var secret = secrets.Unprotect(connection.ProtectedSecret);
        Task<string> Token(bool refresh, CancellationToken cancellationToken) => tokens.GetAsync(connection, secret, refresh, cancellationToken);
        var settings = options.Value;
        return connection.Kind switch
        {
            MailboxKind.Microsoft365 => new GraphMailbox(connection,
                new ProviderApi(http.Client, Token, (status, body) => GraphMailbox.Explain(status, body, connection.Mailbox), settings, clock), settings.GraphBaseUrl),
            MailboxKind.GoogleWorkspace => new GmailMailbox(connection,
                new ProviderApi(http.Client, Token, (status, body) => GmailMailbox.Explain(status, body, connection.Mailbox), settings, clock), settings.GmailBaseUrl),
            _ => new ImapMailbox(connection, secret, Token),
        };
    }
}
