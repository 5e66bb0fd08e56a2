using RecordsRequests.Features.Audit;

namespace RecordsRequests.Features.Mailboxes;

/// <summary>
/// One of the district's mailboxes the application may read (as the records inbox) and send through. Its secret (a
/// client secret, certificate, service-account key or password) is kept only encrypted with the data-protection keys
/// (<see cref="MailboxSecrets"/>) and is never shown again; the audit trail records its length, not its bytes.
/// </summary>
public sealed class MailboxConnection : IAudited
{
    private MailboxConnection()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>The name staff know it by ("Records inbox").</summary>
    public string Name { get; private set; } = "";

    public MailboxKind Kind { get; private set; }

    /// <summary>The mailbox address: the user principal name (Microsoft 365), the delegated user (Google), the IMAP user.</summary>
    public string Mailbox { get; private set; } = "";

    /// <summary>Microsoft 365: the directory (tenant) ID or a verified domain.</summary>
    public string? TenantId { get; private set; }

    /// <summary>Microsoft 365: the application (client) ID. Google: the service account's address, read from its key.</summary>
    public string? ClientId { get; private set; }

    /// <summary>IMAP kinds: server, port, security (MailKit's SecureSocketOptions) and folder.</summary>
    public string? ImapHost { get; private set; }
    public int ImapPort { get; private set; }
    public string? SmtpHost { get; private set; }
    public int SmtpPort { get; private set; }
    public string Security { get; private set; } = "Auto";
    public string Folder { get; private set; } = "INBOX";

    /// <summary>What kind of secret is stored, in words ("client secret", "certificate CN=…"): what the page may show.</summary>
    public string SecretDescription { get; private set; } = "";

    /// <summary>The secret, encrypted by <see cref="MailboxSecrets"/>.</summary>
    public byte[] ProtectedSecret { get; private set; } = [];

    /// <summary>New mail here is taken in as requests and replies.</summary>
    public bool IsRecordsInbox { get; private set; }

    /// <summary>The district's outgoing mail is sent through this mailbox.</summary>
    public bool SendsOutgoingMail { get; private set; }

    public bool Enabled { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? LastTestedAt { get; private set; }
    public bool? LastTestSucceeded { get; private set; }
    public string? LastTestOutcome { get; private set; }

    public static MailboxConnection Create(string name, MailboxKind kind, string mailbox, MailboxEndpoint endpoint, string secretDescription,
        byte[] protectedSecret, bool isRecordsInbox, bool sendsOutgoingMail, DateTimeOffset now) => new()
    {
        Id = Guid.NewGuid(),
        Name = name.Trim(),
        Kind = kind,
        Mailbox = mailbox.Trim(),
        TenantId = endpoint.TenantId?.Trim(),
        ClientId = endpoint.ClientId?.Trim(),
        ImapHost = endpoint.ImapHost?.Trim(),
        ImapPort = endpoint.ImapPort,
        SmtpHost = endpoint.SmtpHost?.Trim(),
        SmtpPort = endpoint.SmtpPort,
        Security = endpoint.Security,
        Folder = string.IsNullOrWhiteSpace(endpoint.Folder) ? "INBOX" : endpoint.Folder.Trim(),
        SecretDescription = secretDescription,
        ProtectedSecret = protectedSecret,
        IsRecordsInbox = isRecordsInbox,
        SendsOutgoingMail = sendsOutgoingMail,
        Enabled = true,
        CreatedAt = now,
    };

    public MailboxEndpoint Endpoint => new(TenantId, ClientId, ImapHost, ImapPort, SmtpHost, SmtpPort, Security, Folder);

    public void Disable() => Enabled = false;

    public void Enable() => Enabled = true;

    public void NoteTest(bool succeeded, string outcome, DateTimeOffset now)
    {
        LastTestedAt = now;
        LastTestSucceeded = succeeded;
        LastTestOutcome = outcome.Length > 2000 ? outcome[..2000] : outcome;
    }

    /// <summary>The mail system that delivered into this mailbox, whose Authentication-Results intake believes (null: only configured servers are).</summary>
    public Intake.TrustedUpstream? Upstream => Kind switch
    {
        MailboxKind.Microsoft365 or MailboxKind.ImapMicrosoftOAuth => Intake.TrustedUpstream.Microsoft365,
        MailboxKind.GoogleWorkspace or MailboxKind.ImapGoogleOAuth => Intake.TrustedUpstream.Google,
        _ => null,
    };

    /// <summary>Where the mail of this connection is recorded as having come from, on the intake list.</summary>
    public Intake.IntakeSource IntakeSource => Kind switch
    {
        MailboxKind.Microsoft365 => Intake.IntakeSource.Microsoft365,
        MailboxKind.GoogleWorkspace => Intake.IntakeSource.Gmail,
        _ => Intake.IntakeSource.Imap,
    };
}
