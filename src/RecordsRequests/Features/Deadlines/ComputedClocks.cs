namespace RecordsRequests.Features.Deadlines;

/// <summary>Every clock of one request, with the production date that governs after extensions and agreements.</summary>
public sealed record ComputedClocks(StatutoryDates Statutory, IReadOnlyList<ComputedClock> Clocks, ClockKind GoverningProduction)
{
    public ComputedDate this[ClockKind kind] => Clocks.Single(c => c.Kind == kind).Due;

    public ComputedDate? Find(ClockKind kind) => Clocks.FirstOrDefault(c => c.Kind == kind)?.Due;

    /// <summary>Whether the written response was late or, with none recorded, <paramref name="today"/> is past day 10.</summary>
    public bool ResponseWasLate(DateOnly? writtenResponseOn, DateOnly today) =>
        writtenResponseOn is { } sent ? sent > Statutory.ResponseDue.Date : today > Statutory.ResponseDue.Date;
}
