namespace RecordsRequests.Features.Intake;

public enum IntakeClassification
{
    /// <summary>Raw bytes stored, not yet classified (or processing was interrupted and will resume on redelivery).</summary>
    Pending,
    Request,
    Reply,
    Automated,
    Quarantined,

    /// <summary>
    /// Names a request (its tracking number, its subject, one of its messages) without proving it comes from the
    /// requester: held for an officer, never on the status page, never moving the workflow.
    /// </summary>
    UnprovenReply,

    /// <summary>Held on the spam list (<see cref="SpamVerdict"/>): never opened as a request or answered; an officer may release it.</summary>
    Spam,
}
