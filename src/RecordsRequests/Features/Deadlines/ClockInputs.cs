namespace RecordsRequests.Features.Deadlines;

/// <summary>
/// What officers record about a request that moves its clocks. Waiting for payment or clarification is deliberately
/// absent: it is a status and never moves the day-10 date (legal.md 1.4, Tolling; Unconfirmed point 3).
/// </summary>
public sealed record ClockInputs(DateOnly? WrittenResponseOn = null, SupervisorExtension? Extension = null, DateOnly? AgreedDate = null, string? AgreedNote = null)
{
    public static ClockInputs None { get; } = new();
}
