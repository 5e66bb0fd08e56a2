namespace RecordsRequests.Features.Deadlines;

/// <summary>A discretionary waiver or reduction; <paramref name="Amount"/> null waives the whole fee.</summary>
public sealed record FeeWaiver(FeeWaiverReason Reason, string Explanation, decimal? Amount = null);
