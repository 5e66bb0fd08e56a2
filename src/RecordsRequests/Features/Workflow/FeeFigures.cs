namespace RecordsRequests.Features.Workflow;

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
