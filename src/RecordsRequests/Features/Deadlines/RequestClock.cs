namespace RecordsRequests.Features.Deadlines;

/// <summary>
/// One computed clock of a request, stored so the queue can sort by it and reminders can find it. Derived data:
/// <see cref="RequestClockUpdater"/> rewrites it whenever an input changes (a closure, a regime, an extension), so it is not
/// audited; the inputs are.
/// </summary>
public sealed class RequestClock
{
    public Guid RequestId { get; private set; }
    public ClockKind Kind { get; private set; }
    public DateOnly DueDate { get; private set; }
    public string Explanation { get; private set; } = "";

    /// <summary>Whether this is the production date that governs (the latest lawful one), the one reminders follow.</summary>
    public bool Governing { get; private set; }
    public DateTimeOffset ComputedAt { get; private set; }

    private RequestClock() { }

    internal static RequestClock Create(Guid requestId, ClockKind kind) => new() { RequestId = requestId, Kind = kind };

    /// <summary>Returns whether anything changed, so an unchanged recompute writes nothing.</summary>
    internal bool Update(ComputedDate due, bool governing, DateTimeOffset now)
    {
        var explanation = due.Explain();
        if (DueDate == due.Date && Explanation == explanation && Governing == governing && ComputedAt != default)
        {
            return false;
        }
        DueDate = due.Date;
        Explanation = explanation;
        Governing = governing;
        ComputedAt = now.ToUniversalTime();
        return true;
    }
}
