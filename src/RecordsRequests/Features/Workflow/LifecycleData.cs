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

    /// <summary>The figures of a fee estimate ("estimate" at the fee step); the step computes the fee from them.</summary>
    public FeeFigures? Fee { get; set; }
}

/// <summary>What an officer enters for a fee estimate; the fee itself is always <see cref="Deadlines.FeeCalculator"/>'s.
/// Persisted contract (inside <see cref="LifecycleDecision"/>): keep the name and namespace.</summary>
public sealed class FeeFigures
{
    public int PaperPages { get; set; }
    public decimal StorageMediaCost { get; set; }
    public decimal SearchHours { get; set; }
    public decimal RedactionHours { get; set; }
    public Deadlines.RedactionBasis RedactionBasis { get; set; }

    public Deadlines.FeeInput ToInput() => new(PaperPages, StorageMediaCost, SearchHours, RedactionHours, RedactionBasis);
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
