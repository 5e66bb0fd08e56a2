namespace RecordsRequests.Features.Reports;

/// <summary>One month of the activity table. Medians are over the requests received that month; null when none qualifies.</summary>
public sealed record MonthRow(string Month, int Opened, int Closed, int FirstResponses, decimal? MedianBusinessDaysToFirstResponse,
    int LateFirstResponses, int Released, decimal? MedianBusinessDaysToRelease);
