namespace RecordsRequests.Features.Deadlines;

/// <summary>A day a count passed over, and why, so every computed date can explain itself.</summary>
public sealed record SkippedDay(DateOnly Date, string Reason);
