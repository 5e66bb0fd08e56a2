namespace RecordsRequests.Features.Deadlines;

/// <summary>
/// US federal legal public holidays (5 U.S.C. §6103(a)) with the federal observance rules (Saturday → Friday,
/// Sunday → Monday). For reference and FOIA comparisons only: never used for Massachusetts deadlines (legal.md 5.2).
/// </summary>
public static class FederalHolidays
{
    public static IReadOnlyList<Holiday> For(int year)
    {
        var days = new List<Holiday>
        {
            Observed(new DateOnly(year, 1, 1), "New Year's Day"),
            new(MassachusettsHolidays.NthWeekday(year, 1, DayOfWeek.Monday, 3), "Birthday of Martin Luther King, Jr."),
            new(MassachusettsHolidays.NthWeekday(year, 2, DayOfWeek.Monday, 3), "Washington's Birthday"),
            new(MassachusettsHolidays.LastWeekday(year, 5, DayOfWeek.Monday), "Memorial Day"),
            Observed(new DateOnly(year, 7, 4), "Independence Day"),
            new(MassachusettsHolidays.NthWeekday(year, 9, DayOfWeek.Monday, 1), "Labor Day"),
            new(MassachusettsHolidays.NthWeekday(year, 10, DayOfWeek.Monday, 2), "Columbus Day"),
            Observed(new DateOnly(year, 11, 11), "Veterans Day"),
            new(MassachusettsHolidays.NthWeekday(year, 11, DayOfWeek.Thursday, 4), "Thanksgiving Day"),
            Observed(new DateOnly(year, 12, 25), "Christmas Day"),
        };
        if (year >= MassachusettsHolidays.FirstJuneteenthYear)
        {
            days.Add(Observed(new DateOnly(year, 6, 19), "Juneteenth National Independence Day"));
        }
        // New Year's Day of the next year observed on Friday December 31 when it falls on a Saturday.
        if (new DateOnly(year + 1, 1, 1).DayOfWeek == DayOfWeek.Saturday)
        {
            days.Add(new Holiday(new DateOnly(year, 12, 31), "New Year's Day (observed)"));
        }
        days.RemoveAll(d => d.Date.Year != year);
        days.Sort((a, b) => a.Date.CompareTo(b.Date));
        return days;
    }

    private static Holiday Observed(DateOnly date, string name) => date.DayOfWeek switch
    {
        DayOfWeek.Saturday => new Holiday(date.AddDays(-1), $"{name} (observed)"),
        DayOfWeek.Sunday => new Holiday(date.AddDays(1), $"{name} (observed)"),
        _ => new Holiday(date, name),
    };
}
