using RecordsRequests.Features.Audit;

namespace RecordsRequests.Features.Deadlines;

/// <summary>
/// A day the district's office is closed (snow day, office closure), entered by an admin. A request received on it is
/// deemed received the next business day (950 CMR 32.06(2)(e)); whether it also stops a running count is the
/// district's setting <see cref="DeadlineOptions.ClosuresInsidePeriodAreSkipped"/> (legal.md Unconfirmed point 5).
/// </summary>
public sealed class DistrictClosure : IAudited
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public DateOnly Date { get; private set; }
    public string Reason { get; private set; } = "";
    public DateTimeOffset EnteredAt { get; private set; }
    public string EnteredBy { get; private set; } = "";

    private DistrictClosure() { }

    public static DistrictClosure Enter(DateOnly date, string reason, DateTimeOffset now, string actor)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new DomainException("Say why the office is closed (for example \"snow day\"); the reason is shown in every date it moves.");
        }
        return new DistrictClosure { Date = date, Reason = reason.Trim(), EnteredAt = now.ToUniversalTime(), EnteredBy = actor };
    }

    public ClosureDay ToClosureDay() => new(Date, Reason);
}
