namespace RecordsRequests.Features.Deadlines;

/// <summary>A day the district's office was closed (snow day, office closure), entered by an admin.</summary>
public sealed record ClosureDay(DateOnly Date, string Reason);
