namespace RecordsRequests.Features.Mailboxes;

/// <summary>How the application reaches a mailbox.</summary>
public enum MailboxKind
{
    /// <summary>Microsoft Graph with an app registration (application permissions, client credentials).</summary>
    Microsoft365,

    /// <summary>The Gmail API with a service account and domain-wide delegation.</summary>
    GoogleWorkspace,

    /// <summary>IMAP and SMTP with XOAUTH2, the token from a Microsoft 365 app registration.</summary>
    ImapMicrosoftOAuth,

    /// <summary>IMAP and SMTP with XOAUTH2, the token from a Google service account.</summary>
    ImapGoogleOAuth,

    /// <summary>IMAP and SMTP with a user name and password: other servers, Google app passwords. Not Microsoft 365.</summary>
    ImapPassword,
}
