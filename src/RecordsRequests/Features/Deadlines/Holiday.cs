namespace RecordsRequests.Features.Deadlines;

/// <summary>A day on which Massachusetts business-day counts do not run, with the reason shown to officers.</summary>
public sealed record Holiday(DateOnly Date, string Name);
