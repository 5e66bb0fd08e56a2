namespace RecordsRequests.Features.Mailboxes;

public enum MailCollectionStatus
{
    /// <summary>Waiting for the background job to start.</summary>
    Queued,
    Running,

    /// <summary>Every matching message is in the archive.</summary>
    Finished,

    /// <summary>A provider problem stopped it; resuming carries on from its checkpoint.</summary>
    Stopped,
}
