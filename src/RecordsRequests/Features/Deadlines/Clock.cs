using System.Globalization;

namespace RecordsRequests.Features.Deadlines;

/// <summary>One named clock of a request.</summary>
public sealed record Clock(ClockKind Kind, ComputedDate Due);
