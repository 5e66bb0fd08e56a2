namespace RecordsRequests.Features.Deadlines;

/// <summary>
/// Massachusetts business days: Monday to Friday except legal holidays (legal.md 1.4 "Business day"), plus the
/// district's own closure days where the rules say they count.
/// </summary>
public sealed class BusinessCalendar
{
    private readonly bool _includeSuffolkCountyDays;
    private readonly Dictionary<DateOnly, string> _closures;
    private readonly Dictionary<int, Dictionary<DateOnly, string>> _holidaysByYear = [];

    public BusinessCalendar(bool includeSuffolkCountyDays = false, IEnumerable<ClosureDay>? closures = null)
    {
        _includeSuffolkCountyDays = includeSuffolkCountyDays;
        _closures = (closures ?? []).GroupBy(c => c.Date).ToDictionary(g => g.Key, g => g.First().Reason);
    }

    /// <summary>Why <paramref name="date"/> is not a business day, or null when it is one.</summary>
    /// <param name="countClosures">Whether a district closure on that date stops the count.</param>
    public string? ReasonNotABusinessDay(DateOnly date, bool countClosures)
    {
        switch (date.DayOfWeek)
        {
            case DayOfWeek.Saturday:
                return "Saturday";
            case DayOfWeek.Sunday:
                return "Sunday";
        }
        if (HolidaysOf(date.Year).TryGetValue(date, out var holiday))
        {
            return holiday;
        }
        if (countClosures && _closures.TryGetValue(date, out var closure))
        {
            return $"District closed: {closure}";
        }
        return null;
    }

    public bool IsBusinessDay(DateOnly date, bool countClosures = true) => ReasonNotABusinessDay(date, countClosures) is null;

    /// <summary>The first business day on or after <paramref name="date"/>, noting each day passed over.</summary>
    public DateOnly OnOrNextBusinessDay(DateOnly date, bool countClosures, List<SkippedDay> skipped)
    {
        while (ReasonNotABusinessDay(date, countClosures) is { } reason)
        {
            skipped.Add(new SkippedDay(date, reason));
            date = date.AddDays(1);
        }
        return date;
    }

    /// <summary>
    /// The date <paramref name="businessDays"/> business days after <paramref name="start"/>: day 1 is the first
    /// business day after the start (950 CMR 32.03(3) as amended 2021).
    /// </summary>
    public DateOnly AddBusinessDays(DateOnly start, int businessDays, bool countClosures, List<SkippedDay> skipped)
    {
        var date = start;
        for (var counted = 0; counted < businessDays;)
        {
            date = date.AddDays(1);
            if (ReasonNotABusinessDay(date, countClosures) is { } reason)
            {
                skipped.Add(new SkippedDay(date, reason));
            }
            else
            {
                counted++;
            }
        }
        return date;
    }

    /// <summary>The business day <paramref name="businessDays"/> business days before <paramref name="date"/>.</summary>
    public DateOnly BusinessDaysBefore(DateOnly date, int businessDays, bool countClosures)
    {
        for (var counted = 0; counted < businessDays;)
        {
            date = date.AddDays(-1);
            if (IsBusinessDay(date, countClosures))
            {
                counted++;
            }
        }
        return date;
    }

    private Dictionary<DateOnly, string> HolidaysOf(int year)
    {
        if (!_holidaysByYear.TryGetValue(year, out var days))
        {
            // A Sunday holiday observed on Monday can be the only holiday a year contributes to the next one (none
            // cross years today, but computing by year keeps the rule in one place).
            days = MassachusettsHolidays.For(year, _includeSuffolkCountyDays).ToDictionary(h => h.Date, h => h.Name);
            _holidaysByYear[year] = days;
        }
        return days;
    }
}
