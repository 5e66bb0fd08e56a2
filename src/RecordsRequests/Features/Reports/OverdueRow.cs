using RecordsRequests.Features.Deadlines;

namespace RecordsRequests.Features.Reports;

/// <summary>Open requests whose next statutory date is the given clock, and how many of them are past it.</summary>
public sealed record OverdueRow(ClockKind Clock, string ClockName, int Open, int Overdue);
