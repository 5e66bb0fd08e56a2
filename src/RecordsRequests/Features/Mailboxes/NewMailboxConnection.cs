namespace RecordsRequests.Features.Mailboxes;

/// <summary>What an administrator enters to add a connection; the secret in whichever form the kind takes.</summary>
public sealed record NewMailboxConnection(
    string Name,
    MailboxKind Kind,
    string Mailbox,
    MailboxEndpoint Endpoint,
    bool IsRecordsInbox,
    bool SendsOutgoingMail,
    string? ClientSecret = null,
    byte[]? Certificate = null,
    string? CertificatePassword = null,
    string? ServiceAccountKeyJson = null,
    string? Password = null)
{
    public override string ToString() => $"{Name} ({Kind}, {Mailbox})";
}
