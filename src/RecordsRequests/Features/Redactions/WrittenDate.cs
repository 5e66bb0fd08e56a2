namespace RecordsRequests.Features.Redactions;

/// <summary>A calendar date as written: the year may have two digits, and 03/04 may be either day or month first.</summary>
public readonly record struct WrittenDate(int Year, int First, int Second, bool MonthFirstOnly, bool TwoDigitYear)
{
    /// <summary>Whether the written date can be <paramref name="date"/>: either order of day and month, any century for a two-digit year.</summary>
    public bool CanBe(DateOnly date) =>
        (TwoDigitYear ? date.Year % 100 == Year : date.Year == Year)
        && ((date.Month == First && date.Day == Second) || (!MonthFirstOnly && date.Month == Second && date.Day == First));

    /// <summary>Whether some reading of it is a real calendar day (no 31 April, no 29 February outside leap years).</summary>
    public bool IsValid => IsDay(First, Second) || (!MonthFirstOnly && IsDay(Second, First));

    private bool IsDay(int month, int day)
    {
        if (month is < 1 or > 12 || day < 1)
        {
            return false;
        }
        // A two-digit year is valid in either century; 2000 is a leap year, so 29 February is allowed for "00".
        var year = TwoDigitYear ? 2000 + Year : Year;
        return year is >= 1900 and <= 2100 && day <= DateTime.DaysInMonth(year, month);
    }
}
