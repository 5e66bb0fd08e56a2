namespace RecordsRequests.Features.Reports;

public sealed record ReportSet(IReadOnlyList<MonthRow> Months, IReadOnlyList<OverdueRow> Overdue, int OpenOverdue,
    decimal? MedianBusinessDaysToFirstResponse, decimal? MedianBusinessDaysToRelease, DateOnly AsOf);
