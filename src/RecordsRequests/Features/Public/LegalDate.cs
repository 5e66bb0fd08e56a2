using RecordsRequests.Features.Deadlines;

namespace RecordsRequests.Features.Public;

/// <summary>A legal date in plain words, with the rule that sets it.</summary>
public sealed record LegalDate(ClockKind Kind, DateOnly Date, string What, string Why);
