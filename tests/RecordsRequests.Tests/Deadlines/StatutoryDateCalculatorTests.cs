using System.Globalization;
using RecordsRequests.Features.Deadlines;

namespace RecordsRequests.Tests.Deadlines;

public class StatutoryDateCalculatorTests
{
    private static readonly TimeZoneInfo Boston = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    private static DateOnly D(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateTimeOffset Local(string iso) =>
        new(DateTime.ParseExact(iso, "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), Boston.GetUtcOffset(DateTime.ParseExact(iso, "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)));

    /// <summary>legal.md section 6, worked municipal examples, and further cases of the same rules.</summary>
    [Theory]
    // Weekend receipt plus Patriots' Day (Apr 20, 2026); a federal calendar would give Apr 27 / May 18.
    [InlineData("2026-04-11 10:00", "2026-04-13", "2026-04-28", "2026-05-19")]
    // Juneteenth skipped; Fri Jul 3, 2026 is a Massachusetts business day (July 4 is a Saturday, no substitute).
    [InlineData("2026-06-18 10:00", "2026-06-18", "2026-07-03", "2026-07-24")]
    // Receipt on Thanksgiving: deemed received Friday.
    [InlineData("2026-11-26 10:00", "2026-11-27", "2026-12-11", "2027-01-05")]
    // After office hours on a business day still counts that day (legal.md 1.4, default).
    [InlineData("2026-03-02 23:30", "2026-03-02", "2026-03-16", "2026-04-06")]
    // Sunday receipt.
    [InlineData("2026-03-01 12:00", "2026-03-02", "2026-03-16", "2026-04-06")]
    // Sunday holiday observed Monday: July 4, 2027 is a Sunday, so Monday July 5 is not a business day.
    [InlineData("2027-07-02 09:00", "2027-07-02", "2027-07-19", "2027-08-09")]
    // Receipt on the observed Monday holiday itself.
    [InlineData("2027-07-05 09:00", "2027-07-06", "2027-07-20", "2027-08-10")]
    // Saturday July 4, 2026: a Saturday holiday, deemed received Monday July 6.
    [InlineData("2026-07-04 11:00", "2026-07-06", "2026-07-20", "2026-08-10")]
    // Friday July 3, 2026 is a business day in Massachusetts (no Friday substitute), unlike the federal calendar.
    [InlineData("2026-07-03 11:00", "2026-07-03", "2026-07-17", "2026-08-07")]
    // Sunday Christmas 2022 observed Monday Dec 26, and Sunday New Year 2023 observed Monday Jan 2: both skipped (and MLK Day).
    [InlineData("2022-12-23 10:00", "2022-12-23", "2023-01-10", "2023-02-01")]
    // Receipt on Saturday Christmas 2027 (no weekday substitute): deemed Monday Dec 27; Fri Dec 31 counts.
    [InlineData("2027-12-25 10:00", "2027-12-27", "2028-01-10", "2028-02-01")]
    // Receipt one minute before midnight Eastern on a business day counts that day (Memorial Day skipped later).
    [InlineData("2026-05-01 23:59", "2026-05-01", "2026-05-15", "2026-06-08")]
    public void Municipal_DatesFollowTheMassachusettsCalendar(string received, string deemed, string day10, string day25)
    {
        var clocks = StatutoryDateCalculator.Compute(Local(received), Boston, StatutoryRegime.Municipal, new BusinessCalendar());

        Assert.Equal(D(deemed), clocks.DeemedReceived.Date);
        Assert.Equal(D(day10), clocks.ResponseDue.Date);
        Assert.Equal(D(day25), clocks.ProductionDue.Date);
    }

    /// <summary>Day 20, the last day to petition the Supervisor (G.L. c.66 §10(c)), for the legal.md section 6 cases.</summary>
    [Theory]
    [InlineData("2026-04-11 10:00", "2026-05-12")]
    [InlineData("2026-06-18 10:00", "2026-07-17")]
    [InlineData("2026-11-26 10:00", "2026-12-28")]
    public void Municipal_PetitionDeadlineIsBusinessDay20(string received, string day20) =>
        Assert.Equal(D(day20), StatutoryDateCalculator.Compute(Local(received), Boston, StatutoryRegime.Municipal, new BusinessCalendar()).PetitionDeadline.Date);

    [Fact]
    public void Receipt_LateEveningUtc_IsCountedOnTheMassachusettsDate()
    {
        // 02:00 UTC Tuesday is 21:00 Monday in Boston (EST).
        var clocks = StatutoryDateCalculator.Compute(new DateTimeOffset(2026, 3, 3, 2, 0, 0, TimeSpan.Zero), Boston, StatutoryRegime.Municipal, new BusinessCalendar());
        Assert.Equal(D("2026-03-02"), clocks.ReceivedOn);
    }

    [Fact]
    public void ClosureOnTheDayOfReceipt_MovesDeemedReceipt_ButAClosureInsideThePeriodDoesNotByDefault()
    {
        var calendar = new BusinessCalendar(closures: [new ClosureDay(D("2026-02-02"), "snow day"), new ClosureDay(D("2026-02-05"), "snow day")]);

        var clocks = StatutoryDateCalculator.Compute(Local("2026-02-02 09:00"), Boston, StatutoryRegime.Municipal, calendar);

        Assert.Equal(D("2026-02-03"), clocks.DeemedReceived.Date);
        Assert.Contains(clocks.DeemedReceived.Skipped, s => s.Reason == "District closed: snow day");
        // Feb 16, 2026 is Washington's Birthday; the Feb 5 closure is counted through.
        Assert.Equal(D("2026-02-18"), clocks.ResponseDue.Date);

        var skipping = StatutoryDateCalculator.Compute(Local("2026-02-02 09:00"), Boston, StatutoryRegime.Municipal, calendar,
            new CountingPolicy(ClosuresInsidePeriodAreSkipped: true));
        Assert.Equal(D("2026-02-19"), skipping.ResponseDue.Date);
    }

    [Fact]
    public void AfterHoursCutoff_WhenConfigured_CountsTheNextBusinessDay()
    {
        var clocks = StatutoryDateCalculator.Compute(Local("2026-03-06 17:30"), Boston, StatutoryRegime.Municipal, new BusinessCalendar(),
            new CountingPolicy(AfterHoursCutoff: new TimeOnly(17, 0)));
        Assert.Equal(D("2026-03-09"), clocks.DeemedReceived.Date);
    }

    [Fact]
    public void Agency_ProductionIsDay15_PetitionIsDay20()
    {
        var clocks = StatutoryDateCalculator.Compute(Local("2026-04-11 10:00"), Boston, StatutoryRegime.Agency, new BusinessCalendar());
        Assert.Equal(D("2026-05-05"), clocks.ProductionDue.Date);
        Assert.Equal(D("2026-05-12"), clocks.PetitionDeadline.Date);
    }

    [Fact]
    public void StudentRecordAccess_CountsTenCalendarDays()
    {
        var clocks = StatutoryDateCalculator.Compute(Local("2026-06-18 10:00"), Boston, StatutoryRegime.StudentRecordAccess, new BusinessCalendar());
        Assert.Equal(D("2026-06-28"), clocks.ResponseDue.Date);
    }

    [Fact]
    public void Explanation_NamesEverySkippedDay()
    {
        var clocks = StatutoryDateCalculator.Compute(Local("2026-04-11 10:00"), Boston, StatutoryRegime.Municipal, new BusinessCalendar());
        var explanation = clocks.ResponseDue.Explain();
        Assert.Contains("Patriots' Day", explanation, StringComparison.Ordinal);
        Assert.Contains("2026-04-28", explanation, StringComparison.Ordinal);
        Assert.Equal(4 + 1, clocks.ResponseDue.Skipped.Count); // two weekends and Patriots' Day
    }
}
