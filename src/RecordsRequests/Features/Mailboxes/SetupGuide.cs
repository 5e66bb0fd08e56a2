namespace RecordsRequests.Features.Mailboxes;

/// <summary>The README sections that tell district IT how to set each kind of connection up.</summary>
public static class SetupGuide
{
    public const string Microsoft365 = "connecting-a-microsoft-365-mailbox";
    public const string GoogleWorkspace = "connecting-a-google-workspace-mailbox";
    public const string Imap = "connecting-another-mail-server-imap";

    public static string Title(string section) => section switch
    {
        Microsoft365 => "Connecting a Microsoft 365 mailbox",
        GoogleWorkspace => "Connecting a Google Workspace mailbox",
        _ => "Connecting another mail server (IMAP)",
    };

    public static string For(MailboxKind kind) => kind switch
    {
        MailboxKind.Microsoft365 or MailboxKind.ImapMicrosoftOAuth => Microsoft365,
        MailboxKind.GoogleWorkspace or MailboxKind.ImapGoogleOAuth => GoogleWorkspace,
        _ => Imap,
    };
}
