namespace RecordsRequests.Features.Workflow;

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
