using System.Globalization;

namespace RecordsRequests.Features.Deadlines;

/// <summary>
/// Computes statutory dates from the instant a request arrived. Pure: the calendar, regime and policy are inputs.
/// </summary>
public static class StatutoryDateCalculator
{
    public static StatutoryDates Compute(DateTimeOffset receivedAt, TimeZoneInfo zone, StatutoryRegime regime, BusinessCalendar calendar,
        CountingPolicy? policy = null)
    {
        policy ??= CountingPolicy.Default;
        var local = TimeZoneInfo.ConvertTime(receivedAt, zone);
        var receivedOn = DateOnly.FromDateTime(local.DateTime);

        var deemedSkipped = new List<SkippedDay>();
        var start = receivedOn;
        // After-hours receipt has no rule (legal.md, Unconfirmed point 4): by default a timestamp on a business day
        // counts that day, the earliest and safest deadline. A district may set a cutoff after which it counts the next day.
        if (policy.AfterHoursCutoff is { } cutoff && TimeOnly.FromDateTime(local.DateTime) >= cutoff)
        {
            deemedSkipped.Add(new SkippedDay(receivedOn, string.Create(CultureInfo.InvariantCulture, $"received after {cutoff:HH:mm}")));
            start = receivedOn.AddDays(1);
        }
        // Receipt on a weekend, legal holiday or a day the office is closed is deemed received on the next business
        // day (950 CMR 32.06(2)(e), as amended 2021). A closure always counts on the day of receipt.
        var deemed = calendar.OnOrNextBusinessDay(start, countClosures: true, deemedSkipped);
        var deemedDate = new ComputedDate(deemed,
            deemed == receivedOn ? "received on a business day" : "deemed received on the next business day (950 CMR 32.06(2)(e))", deemedSkipped);

        ComputedDate Count(int days, string rule)
        {
            var skipped = new List<SkippedDay>();
            var date = regime.Unit == DayCount.BusinessDays
                // Whether a closure in the middle of a period stops the count is unconfirmed (legal.md 1.4): the
                // default counts through it, the safest reading, and a district may choose to skip closures.
                ? calendar.AddBusinessDays(deemed, days, policy.ClosuresInsidePeriodAreSkipped, skipped)
                : deemed.AddDays(days);
            var unit = regime.Unit == DayCount.BusinessDays ? "business" : "calendar";
            return new ComputedDate(date, string.Create(CultureInfo.InvariantCulture, $"day {days} ({unit} days after deemed receipt) — {rule}"), skipped);
        }

        return new StatutoryDates(
            receivedOn,
            deemedDate,
            Count(regime.ResponseDays, $"written response due ({regime.Citation})"),
            Count(regime.PetitionDays, "last day to petition the Supervisor of Records for more time (G.L. c.66 §10(c))"),
            Count(regime.ProductionDays, $"latest production date without agreement or extension ({regime.Citation})"),
            regime);
    }
}
