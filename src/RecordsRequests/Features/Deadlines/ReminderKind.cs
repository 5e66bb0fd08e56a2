namespace RecordsRequests.Features.Deadlines;

/// <summary>Which reminder a clock is due, from the first warning to the escalation after the date has passed.</summary>
public enum ReminderKind
{
    FirstWarning,
    LastWarning,
    DueToday,
    Overdue,
}
