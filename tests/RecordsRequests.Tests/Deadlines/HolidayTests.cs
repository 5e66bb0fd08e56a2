using System.Globalization;
using RecordsRequests.Features.Deadlines;

namespace RecordsRequests.Tests.Deadlines;

public class HolidayTests
{
    private static DateOnly D(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>legal.md 5.3, the Massachusetts columns for 2026 and 2027.</summary>
    [Theory]
    [InlineData(2026, "2026-01-01,2026-01-19,2026-02-16,2026-04-20,2026-05-25,2026-06-19,2026-07-04,2026-09-07,2026-10-12,2026-11-11,2026-11-26,2026-12-25")]
    [InlineData(2027, "2027-01-01,2027-01-18,2027-02-15,2027-04-19,2027-05-31,2027-06-19,2027-07-05,2027-09-06,2027-10-11,2027-11-11,2027-11-25,2027-12-25")]
    public void Massachusetts_MatchesTheComputedTable(int year, string expected) =>
        Assert.Equal(expected.Split(',').Select(D), MassachusettsHolidays.For(year).Select(h => h.Date));

    [Fact]
    public void Juneteenth_IsAHolidayFrom2021Only()
    {
        Assert.DoesNotContain(MassachusettsHolidays.For(2020), h => h.Name.StartsWith("Juneteenth", StringComparison.Ordinal));
        Assert.Contains(MassachusettsHolidays.For(2021), h => h.Date == D("2021-06-19"));
    }

    [Fact]
    public void SaturdayHoliday_HasNoWeekdaySubstitute_UnlikeTheFederalCalendar()
    {
        var calendar = new BusinessCalendar();
        Assert.True(calendar.IsBusinessDay(D("2026-07-03")));
        Assert.Contains(FederalHolidays.For(2026), h => h.Date == D("2026-07-03"));
    }

    [Fact]
    public void SundayVeteransDay_IsObservedMonday()
    {
        Assert.Contains(MassachusettsHolidays.For(2029), h => h.Date == D("2029-11-12"));
        Assert.False(new BusinessCalendar().IsBusinessDay(D("2029-11-12")));
    }

    [Fact]
    public void SuffolkCountyDays_AreHolidaysOnlyWhenConfigured()
    {
        Assert.True(new BusinessCalendar().IsBusinessDay(D("2026-03-17")));
        Assert.False(new BusinessCalendar(includeSuffolkCountyDays: true).IsBusinessDay(D("2026-03-17")));
    }

    [Fact]
    public void Federal_NewYearOnSaturday_IsObservedOnTheFridayBefore() =>
        Assert.Contains(FederalHolidays.For(2027), h => h.Date == D("2027-12-31"));
}
