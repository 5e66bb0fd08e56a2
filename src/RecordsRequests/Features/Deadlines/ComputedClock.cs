namespace RecordsRequests.Features.Deadlines;

/// <summary>One named clock of a request, as computed (stored as a <see cref="RequestClock"/>).</summary>
public sealed record ComputedClock(ClockKind Kind, ComputedDate Due);
