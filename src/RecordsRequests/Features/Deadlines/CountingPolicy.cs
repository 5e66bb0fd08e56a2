namespace RecordsRequests.Features.Deadlines;

/// <summary>How the district applies the rules that legal.md marks unconfirmed.</summary>
public sealed record CountingPolicy(bool ClosuresInsidePeriodAreSkipped = false, TimeOnly? AfterHoursCutoff = null)
{
    public static CountingPolicy Default { get; } = new();
}
