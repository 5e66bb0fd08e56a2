using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;
using RecordsRequests.Features.Deadlines;
using RecordsRequests.Features.Mail;
using RecordsRequests.Features.Releases;
using RecordsRequests.Features.Requests;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Reports;

/// <summary>
/// The figures on /reports. Definitions (also printed on the page):
/// <list type="bullet">
/// <item>Opened: requests received in the month (district time). Closed: requests whose status became closed, withdrawn,
/// not-a-request or responded in the month (the date of their last status change).</item>
/// <item>First response: the earlier of (a) the first e-mail queued to the requester after receipt whose kind is a written
/// response (<see cref="MailKinds.Responses"/>: not the automatic acknowledgement, which only restates the law and the
/// dates, nor a clarification question, nor staff mail), and (b) the written-response date an officer recorded on the clocks page (covers letters sent on paper).</item>
/// <item>Release: the first release of records to the requester.</item>
/// <item>Business days: Massachusetts business days (the BusinessCalendar: weekends, legal holidays and district closure days
/// excluded) after the receipt date up to and including the event's date, so an answer on the day of receipt is 0.</item>
/// <item>Late first response: the first response came after the day-10 response date (ResponseDue clock), or none was
/// given and that date has passed.</item>
/// </list>
/// </summary>
public sealed class RequestReports(AppDbContext db, RequestClockUpdater clocks, DistrictTime time)
{

    public async Task<ReportSet> BuildAsync(CancellationToken cancellationToken)
    {
        var today = time.Today;
        var calendar = (await clocks.RulesAsync(cancellationToken)).Calendar;
        var requests = await db.Requests.AsNoTracking()
            .Select(r => new { r.Id, r.ReceivedAt, r.Status, r.StatusChangedAt })
            .ToListAsync(cancellationToken);
        var firstEmail = await db.Set<OutboundEmail>().AsNoTracking()
            .Where(m => m.RequestId != null && MailKinds.Responses.Contains(m.Kind))
            .GroupBy(m => m.RequestId!.Value)
            .Select(g => new { RequestId = g.Key, At = g.Min(m => m.QueuedAt) })
            .ToDictionaryAsync(x => x.RequestId, x => x.At, cancellationToken);
        var writtenResponse = await db.Set<RequestClockInput>().AsNoTracking()
            .Where(i => i.WrittenResponseOn != null)
            .ToDictionaryAsync(i => i.RequestId, i => i.WrittenResponseOn!.Value, cancellationToken);
        var firstRelease = await db.Set<Release>().AsNoTracking()
            .GroupBy(r => r.RequestId)
            .Select(g => new { RequestId = g.Key, At = g.Min(r => r.ReleasedAt) })
            .ToDictionaryAsync(x => x.RequestId, x => x.At, cancellationToken);
        var responseDue = await db.Set<RequestClock>().AsNoTracking()
            .Where(c => c.Kind == ClockKind.ResponseDue)
            .ToDictionaryAsync(c => c.RequestId, c => c.DueDate, cancellationToken);

        var facts = requests.Select(r =>
        {
            var received = time.DateOf(r.ReceivedAt);
            DateOnly? emailed = firstEmail.TryGetValue(r.Id, out var at) && at >= r.ReceivedAt ? time.DateOf(at) : null;
            DateOnly? written = writtenResponse.TryGetValue(r.Id, out var on) ? on : null;
            DateOnly? responded = (emailed, written) switch
            {
                ({ } e, { } w) => e < w ? e : w,
                ({ } e, null) => e,
                (null, var w) => w,
            };
            DateOnly? released = firstRelease.TryGetValue(r.Id, out var rel) ? time.DateOf(rel) : null;
            var due = responseDue.TryGetValue(r.Id, out var d) ? d : (DateOnly?)null;
            var late = due is { } dueOn && (responded is { } answered ? answered > dueOn : today > dueOn);
            return new
            {
                Received = received,
                ClosedOn = r.Status.IsOpen() ? (DateOnly?)null : time.DateOf(r.StatusChangedAt),
                ToResponse = responded is { } x ? BusinessDaysBetween(calendar, received, x) : (int?)null,
                ToRelease = released is { } y ? BusinessDaysBetween(calendar, received, y) : (int?)null,
                Late = late,
            };
        }).ToList();

        static string MonthOf(DateOnly date) => date.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var months = facts.Select(f => MonthOf(f.Received))
            .Concat(facts.Where(f => f.ClosedOn is not null).Select(f => MonthOf(f.ClosedOn!.Value)))
            .Distinct().Order(StringComparer.Ordinal).ToList();
        var rows = months.Select(month =>
        {
            var opened = facts.Where(f => MonthOf(f.Received) == month).ToList();
            var responded = opened.Where(f => f.ToResponse is not null).Select(f => f.ToResponse!.Value).ToList();
            var released = opened.Where(f => f.ToRelease is not null).Select(f => f.ToRelease!.Value).ToList();
            return new MonthRow(month, opened.Count, facts.Count(f => f.ClosedOn is { } c && MonthOf(c) == month),
                responded.Count, Median(responded), opened.Count(f => f.Late), released.Count, Median(released));
        }).ToList();

        var openStatuses = Enum.GetValues<RequestStatus>().Where(s => s.IsOpen()).ToList();
        var byClock = await (
                from n in db.Set<RequestNextDue>().AsNoTracking()
                join r in db.Requests on n.RequestId equals r.Id
                where openStatuses.Contains(r.Status) && n.Kind != null
                group n by n.Kind into g
                select new { Kind = g.Key!.Value, Open = g.Count(), Overdue = g.Count(n => n.DueDate < today) })
            .ToListAsync(cancellationToken);
        var overdue = byClock.OrderBy(c => c.Kind).Select(c => new OverdueRow(c.Kind, ClockDisplay.Name(c.Kind), c.Open, c.Overdue)).ToList();

        return new ReportSet(rows, overdue, overdue.Sum(o => o.Overdue),
            Median(facts.Where(f => f.ToResponse is not null).Select(f => f.ToResponse!.Value).ToList()),
            Median(facts.Where(f => f.ToRelease is not null).Select(f => f.ToRelease!.Value).ToList()), today);
    }

    /// <summary>Business days after <paramref name="from"/> up to and including <paramref name="to"/>; 0 on the same day.</summary>
    public static int BusinessDaysBetween(BusinessCalendar calendar, DateOnly from, DateOnly to)
    {
        var days = 0;
        for (var day = from.AddDays(1); day <= to; day = day.AddDays(1))
        {
            if (calendar.IsBusinessDay(day, countClosures: true))
            {
                days++;
            }
        }
        return days;
    }

    public static decimal? Median(IReadOnlyList<int> values)
    {
        if (values.Count == 0)
        {
            return null;
        }
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2m;
    }

    public static string Csv(IEnumerable<IEnumerable<string?>> rows)
    {
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            text.Append(string.Join(",", row.Select(Field))).Append("\r\n");
        }
        return text.ToString();
    }

    /// <summary>RFC 4180: a field with a comma, quote or line break is quoted and its quotes doubled.</summary>
    public static string Field(string? value)
    {
        value ??= "";
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    public static string Number(decimal? value) => value?.ToString("0.#", CultureInfo.InvariantCulture) ?? "";

    public static IEnumerable<IEnumerable<string?>> MonthsCsv(ReportSet report) =>
        [["month", "opened", "closed", "first_responses", "median_business_days_to_first_response", "late_first_responses", "released", "median_business_days_to_release"],
         .. report.Months.Select(m => new[] { m.Month, I(m.Opened), I(m.Closed), I(m.FirstResponses), Number(m.MedianBusinessDaysToFirstResponse),
             I(m.LateFirstResponses), I(m.Released), Number(m.MedianBusinessDaysToRelease) })];

    public static IEnumerable<IEnumerable<string?>> OverdueCsv(ReportSet report) =>
        [["next_clock", "open_requests", "overdue"], .. report.Overdue.Select(o => new[] { o.ClockName, I(o.Open), I(o.Overdue) })];

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
}
