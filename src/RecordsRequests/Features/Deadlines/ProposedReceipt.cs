namespace RecordsRequests.Features.Deadlines;

/// <summary>A receipt instant the request's own evidence suggests, and where it was read.</summary>
public sealed record ProposedReceipt(DateTimeOffset At, string Source);
