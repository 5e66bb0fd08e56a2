namespace RecordsRequests.Features.Mailboxes;

/// <summary>The non-secret settings of a connection: which are used depends on its kind.</summary>
public sealed record MailboxEndpoint(string? TenantId, string? ClientId, string? ImapHost, int ImapPort, string? SmtpHost, int SmtpPort,
    string Security, string Folder);
