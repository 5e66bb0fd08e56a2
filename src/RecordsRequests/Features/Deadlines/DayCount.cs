namespace RecordsRequests.Features.Deadlines;

/// <summary>How a regime counts its days.</summary>
public enum DayCount
{
    BusinessDays,
    CalendarDays,
}
