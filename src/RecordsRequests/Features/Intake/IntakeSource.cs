namespace RecordsRequests.Features.Intake;

/// <summary>Where an inbound message came from.</summary>
public enum IntakeSource
{
    Smtp,
    Imap,
    DropFolder,
    Upload,
    CommandLine,

    /// <summary>A public web-form submission held for an officer (kept as a message so nothing of it is lost).</summary>
    WebForm,

    /// <summary>A mailbox connection to Microsoft 365 (Graph).</summary>
    Microsoft365,

    /// <summary>A mailbox connection to Google Workspace (Gmail API).</summary>
    Gmail,
}
