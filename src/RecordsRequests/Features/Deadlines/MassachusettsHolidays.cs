namespace RecordsRequests.Features.Deadlines;

/// <summary>
/// Massachusetts legal holidays, G.L. c.4 §7 cl. Eighteenth, computed by rule for any year (legal.md 5.1).
/// The five fixed-date holidays move to the Monday when they fall on a Sunday ("or the day following when any of said
/// days occurs on Sunday"); a Saturday holiday has no weekday substitute, unlike the federal rule (5 U.S.C. §6103(b)).
/// </summary>
public static class MassachusettsHolidays
{
    /// <summary>Juneteenth was inserted into clause Eighteenth by St. 2020 (signed July 24, 2020), first kept in 2021.</summary>
    public const int FirstJuneteenthYear = 2021;

    public static IReadOnlyList<Holiday> For(int year, bool includeSuffolkCountyDays = false)
    {
        var days = new List<Holiday>
        {
            SundayToMonday(new DateOnly(year, 1, 1), "New Year's Day"),
            new(NthWeekday(year, 1, DayOfWeek.Monday, 3), "Martin Luther King Jr. Day"),
            new(NthWeekday(year, 2, DayOfWeek.Monday, 3), "Washington's Birthday"),
            new(NthWeekday(year, 4, DayOfWeek.Monday, 3), "Patriots' Day"),
            new(LastWeekday(year, 5, DayOfWeek.Monday), "Memorial Day"),
            SundayToMonday(new DateOnly(year, 7, 4), "Independence Day"),
            new(NthWeekday(year, 9, DayOfWeek.Monday, 1), "Labor Day"),
            new(NthWeekday(year, 10, DayOfWeek.Monday, 2), "Columbus Day"),
            SundayToMonday(new DateOnly(year, 11, 11), "Veterans' Day"),
            new(NthWeekday(year, 11, DayOfWeek.Thursday, 4), "Thanksgiving Day"),
            SundayToMonday(new DateOnly(year, 12, 25), "Christmas Day"),
        };
        if (year >= FirstJuneteenthYear)
        {
            days.Add(SundayToMonday(new DateOnly(year, 6, 19), "Juneteenth Independence Day"));
        }
        if (includeSuffolkCountyDays)
        {
            // Suffolk County only (Evacuation Day, Bunker Hill Day); whether they stop PRL counts is unconfirmed
            // (legal.md, Unconfirmed point 10), so a Suffolk district opts in with a setting.
            days.Add(SundayToMonday(new DateOnly(year, 3, 17), "Evacuation Day (Suffolk County)"));
            days.Add(SundayToMonday(new DateOnly(year, 6, 17), "Bunker Hill Day (Suffolk County)"));
        }
        days.Sort((a, b) => a.Date.CompareTo(b.Date));
        return days;
    }

    private static Holiday SundayToMonday(DateOnly date, string name) =>
        date.DayOfWeek == DayOfWeek.Sunday ? new Holiday(date.AddDays(1), $"{name} (observed)") : new Holiday(date, name);

    internal static DateOnly NthWeekday(int year, int month, DayOfWeek day, int n)
    {
        var first = new DateOnly(year, month, 1);
        var offset = ((int)day - (int)first.DayOfWeek + 7) % 7;
        return first.AddDays(offset + (7 * (n - 1)));
    }

    internal static DateOnly LastWeekday(int year, int month, DayOfWeek day)
    {
        var last = new DateOnly(year, month, DateTime.DaysInMonth(year, month));
        return last.AddDays(-(((int)last.DayOfWeek - (int)day + 7) % 7));
    }
}
