namespace RecordsRequests.Features.Workflow;

/// <summary>
/// What the engine persists for a request's lifecycle: only the request's id. The request row owns the status and
/// everything else; a step reads it fresh. Persisted contract: keep the name and namespace (stored as $type).
/// </summary>
public sealed class LifecycleData
{
    public Guid RequestId { get; set; }
}

/// <summary>
/// The payload of a human step's event: which way the step goes, who decided, and their comments (counsel's notes,
/// exemptions cited in a partial release or denial). Persisted contract: keep the name and namespace.
/// </summary>
public sealed class LifecycleDecision
{
    public string Outcome { get; set; } = "";
    public string Actor { get; set; } = "";
    public string? Comments { get; set; }
}

/// <summary>The human steps a dashboard action can complete; each is one event a workflow waits for.</summary>
public enum LifecycleEvent
{
    TriageDecided,
    IdentityChecked,
    ClarificationReceived,
    CollectionCompleted,
    PetitionDecided,
    ReviewCompleted,
    CounselDecided,
    FeeDecided,
    PaymentResolved,
    ResponseChosen,
    AppealWindowResolved,
    SupervisorOrdered,
}
