using System.Globalization;
using RecordsRequests.Features.Deadlines;

namespace RecordsRequests.Tests.Deadlines;

public class ClockCalculatorTests
{
    private static readonly TimeZoneInfo Boston = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    private static DateOnly D(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Saturday April 11, 2026 (legal.md section 6): day 10 Apr 28, day 25 May 19.</summary>
    private static ComputedClocks Compute(ClockInputs inputs, StatutoryRegime? regime = null)
    {
        var calendar = new BusinessCalendar();
        var statutory = StatutoryDateCalculator.Compute(new DateTimeOffset(2026, 4, 11, 10, 0, 0, TimeSpan.FromHours(-4)), Boston, regime ?? StatutoryRegime.Municipal, calendar);
        return ClockCalculator.Compute(statutory, inputs, calendar);
    }

    [Fact]
    public void NoInputs_GivesTheStatutoryClocks_AndDay25Governs()
    {
        var set = Compute(ClockInputs.None);
        Assert.Equal(D("2026-04-13"), set[ClockKind.DeemedReceived].Date);
        Assert.Equal(D("2026-04-28"), set[ClockKind.ResponseDue].Date);
        Assert.Equal(D("2026-05-12"), set[ClockKind.PetitionDeadline].Date);
        Assert.Equal(D("2026-05-19"), set[ClockKind.ProductionDue].Date);
        Assert.Equal(ClockKind.ProductionDue, set.GoverningProduction);
        Assert.Null(set.Find(ClockKind.ExtendedProductionDue));
    }

    [Fact]
    public void SupervisorExtension_Of30BusinessDays_RunsOnFromDay25_SkippingMemorialDayAndJuneteenth()
    {
        var set = Compute(new ClockInputs(Extension: new SupervisorExtension(30, D("2026-05-08"), null, "SPR26/0001")));
        var extended = set[ClockKind.ExtendedProductionDue];
        Assert.Equal(D("2026-07-02"), extended.Date);
        Assert.Equal(ClockKind.ExtendedProductionDue, set.GoverningProduction);
        Assert.Contains(extended.Skipped, s => s.Reason == "Memorial Day");
        Assert.Contains(extended.Skipped, s => s.Reason.StartsWith("Juneteenth", StringComparison.Ordinal));
        Assert.Contains("SPR26/0001", extended.Explain(), StringComparison.Ordinal);
        // The day-10 date never moves.
        Assert.Equal(D("2026-04-28"), set[ClockKind.ResponseDue].Date);
    }

    [Fact]
    public void SupervisorOrder_ThatNamesADate_WinsOverTheCount()
    {
        var set = Compute(new ClockInputs(Extension: new SupervisorExtension(30, D("2026-05-08"), D("2026-08-31"), null)));
        Assert.Equal(D("2026-08-31"), set[ClockKind.ExtendedProductionDue].Date);
        Assert.Contains("order", set[ClockKind.ExtendedProductionDue].Rule, StringComparison.Ordinal);
    }

    [Fact]
    public void AgreedDate_LaterThanTheLimit_Governs_AndAnEarlierOneDoesNot()
    {
        var later = Compute(new ClockInputs(AgreedDate: D("2026-06-30"), AgreedNote: "e-mail of May 1"));
        Assert.Equal(ClockKind.AgreedProductionDate, later.GoverningProduction);
        Assert.Contains("e-mail of May 1", later[ClockKind.AgreedProductionDate].Rule, StringComparison.Ordinal);

        var earlier = Compute(new ClockInputs(AgreedDate: D("2026-05-01")));
        Assert.Equal(ClockKind.ProductionDue, earlier.GoverningProduction);
    }

    /// <summary>950 CMR 32.08(1)(c)-(d): 90 calendar days from a timely response, otherwise from the request.</summary>
    [Theory]
    [InlineData("2026-04-27", "2026-07-26", "32.08(1)(c)")]
    [InlineData("2026-04-28", "2026-07-27", "32.08(1)(c)")]
    [InlineData("2026-04-30", "2026-07-10", "32.08(1)(d)")]
    [InlineData(null, "2026-07-10", "32.08(1)(d)")]
    public void AppealWindow_Is90CalendarDays_FromATimelyResponseOrElseFromTheRequest(string? respondedOn, string windowEnds, string citation)
    {
        var set = Compute(new ClockInputs(WrittenResponseOn: respondedOn is null ? null : D(respondedOn)));
        Assert.Equal(D(windowEnds), set[ClockKind.AppealWindowEnds].Date);
        Assert.Contains(citation, set[ClockKind.AppealWindowEnds].Rule, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-04-28", "2026-05-30", false)]
    [InlineData("2026-04-29", "2026-05-30", true)]
    [InlineData(null, "2026-04-28", false)]
    [InlineData(null, "2026-04-29", true)]
    public void ResponseWasLate_ComparesTheResponseOrTodayWithDay10(string? respondedOn, string today, bool late) =>
        Assert.Equal(late, Compute(ClockInputs.None).ResponseWasLate(respondedOn is null ? null : D(respondedOn), D(today)));

    [Fact]
    public void StudentRecordAccess_HasNoPetitionOrExtensionClock()
    {
        var set = Compute(ClockInputs.None, StatutoryRegime.StudentRecordAccess);
        Assert.Null(set.Find(ClockKind.PetitionDeadline));
        Assert.Equal(D("2026-04-23"), set[ClockKind.ResponseDue].Date); // deemed Monday Apr 13, plus 10 calendar days
    }

    [Fact]
    public void Extension_BeyondTheRegimeMaximum_IsRefused()
    {
        var input = RequestClockInput.For(Guid.NewGuid());
        Assert.Throws<DomainException>(() => input.RecordExtension(31, D("2026-05-08"), null, null, StatutoryRegime.Municipal));
        Assert.Throws<DomainException>(() => input.RecordExtension(21, D("2026-05-08"), null, null, StatutoryRegime.Agency));
        Assert.Throws<DomainException>(() => input.RecordExtension(5, D("2026-05-08"), null, null, StatutoryRegime.StudentRecordAccess));
        input.RecordExtension(20, D("2026-05-08"), null, "ref", StatutoryRegime.Agency);
        Assert.Equal(20, input.ToInputs().Extension!.BusinessDays);
    }
}
