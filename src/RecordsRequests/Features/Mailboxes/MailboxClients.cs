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

    /// <summary>Reads a custodian's mail through a Microsoft 365 or Google Workspace connection (IMAP connections reach one mailbox only).</summary>
    public IMailboxCollector CollectorFor(MailboxConnection connection, string custodian)
    {
        var secret = secrets.Unprotect(connection.ProtectedSecret);
        Task<string> Token(bool refresh, CancellationToken cancellationToken) => tokens.GetAsync(connection, secret, refresh, cancellationToken, custodian);
        var settings = options.Value;
        return connection.Kind switch
        {
            MailboxKind.Microsoft365 => new GraphCollector(
                new ProviderApi(http.Client, Token, (status, body) => GraphMailbox.Explain(status, body, custodian), settings, clock), settings.GraphBaseUrl),
            MailboxKind.GoogleWorkspace => new GmailCollector(
                new ProviderApi(http.Client, Token, (status, body) => GmailMailbox.Explain(status, body, custodian), settings, clock), settings.GmailBaseUrl),
            _ => throw new MailboxProblem($"“{connection.Name}” is an IMAP connection, which reaches its own mailbox only: collect through a Microsoft 365 or Google Workspace connection.",
                SetupGuide.For(connection.Kind)),
        };
    }

    /// <summary>Whether a connection of this kind can collect other people's mail.</summary>
    public static bool CanCollect(MailboxKind kind) => kind is MailboxKind.Microsoft365 or MailboxKind.GoogleWorkspace;
}
