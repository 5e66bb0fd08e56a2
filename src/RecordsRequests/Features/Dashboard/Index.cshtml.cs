using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Deadlines;
using RecordsRequests.Features.Requests;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Dashboard;

/// <summary>
/// The officers' queue: open requests, next statutory date first, with filters, counts and the age of open work.
/// Every query is bounded (counts are aggregates, the list is one page) so the page stays fast at 50,000 requests.
/// </summary>
public sealed class IndexModel(AppDbContext db, DistrictTime time, QueueCounts counts, OfficerDirectory officers) : PageModel
{
    public const int PageSize = 100;

    /// <summary>Same window as the clock badges: a date within this many calendar days is "due soon".</summary>
    public const int DueSoonDays = 5;

    public sealed record Row(string TrackingNumber, DateOnly Received, string Requester, RequestStatus Status, RequestChannel Channel, CitedLaw CitedLaw,
        DateOnly? NextDue, ClockKind? NextClock, string? Urgency, string? Assignee);

    /// <summary>A bar of the age chart: open requests received between <see cref="MinDays"/> and <see cref="MaxDays"/> calendar days ago.</summary>
    public sealed record AgeBucket(string Label, int MinDays, int? MaxDays, int Count);

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Assignee { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Due { get; set; }

    [BindProperty(SupportsGet = true)]
    public CitedLaw? Law { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public int MatchingCount { get; private set; }
    public int OpenCount { get; private set; }
    public int OverdueCount { get; private set; }
    public int DueSoonCount { get; private set; }
    public int UnassignedCount { get; private set; }
    public IReadOnlyDictionary<RequestStatus, int> StatusCounts { get; private set; } = new Dictionary<RequestStatus, int>();
    public IReadOnlyList<AgeBucket> Ages { get; private set; } = [];
    public IReadOnlyList<OfficerDirectory.Officer> Officers { get; private set; } = [];
    public DateOnly Today { get; private set; }
    public DateTimeOffset CountsAsOf { get; private set; }
    public int PageCount => Math.Max(1, (MatchingCount + PageSize - 1) / PageSize);

    private static readonly (string Label, int Min, int? Max)[] AgeRanges =
        [("0–7 days", 0, 7), ("8–14 days", 8, 14), ("15–30 days", 15, 30), ("31–60 days", 31, 60), ("61–90 days", 61, 90), ("Over 90 days", 91, null)];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Today = time.Today;
        PageNumber = Math.Max(1, PageNumber);
        var soon = Today.AddDays(DueSoonDays);
        // One pooled connection for the page's queries, not one taken and reset per query.
        await db.Database.OpenConnectionAsync(cancellationToken);
        Officers = await officers.ForDisplayAsync(db, cancellationToken);

        var snapshot = await counts.GetAsync(Today, () => CountAsync(soon, cancellationToken), cancellationToken);
        CountsAsOf = time.ToLocal(snapshot.ComputedAt);
        OpenCount = snapshot.Open;
        OverdueCount = snapshot.Overdue;
        DueSoonCount = snapshot.DueSoon;
        UnassignedCount = snapshot.Unassigned;
        Ages = AgeRanges.Select((a, i) => new AgeBucket(a.Label, a.Min, a.Max, snapshot.Ages[i])).ToList();
        StatusCounts = snapshot.ByStatus;

        var filtered = Filter(soon);
        var unfiltered = Status is null && string.IsNullOrEmpty(Assignee) && string.IsNullOrEmpty(Due) && Law is null;
        // Unfiltered, the list is every open request, already counted (a full scan saved per page view).
        MatchingCount = unfiltered ? OpenCount : await filtered.CountAsync(cancellationToken);
        // The next statutory date first (overdue ones are the earliest), requests without clocks yet last (PostgreSQL
        // sorts NULLs last), the oldest first among equals; the id keeps pages from overlapping when all else ties. This
        // is the order of the queue index, so a page is read from it directly; only the page's rows join the request.
        var page = filtered
            .OrderBy(n => n.DueDate).ThenBy(n => n.ReceivedAt).ThenBy(n => n.RequestId)
            .Skip((PageNumber - 1) * PageSize).Take(PageSize);
        var rows = await (
                from n in page
                join r in db.Requests.AsNoTracking() on n.RequestId equals r.Id
                orderby n.DueDate, n.ReceivedAt, n.RequestId
                select new
                {
                    r.TrackingNumber, r.ReceivedAt, r.Requester.Name, r.Requester.Email, r.Status, r.Channel, r.CitedLaw, Due = n.DueDate, n.Kind,
                    r.AssignedOfficerId,
                })
            .ToListAsync(cancellationToken);
        var names = Officers.ToDictionary(o => o.Id, o => o.Name);
        Rows = rows.Select(r => new Row(r.TrackingNumber, time.DateOf(r.ReceivedAt), r.Name ?? r.Email ?? "Anonymous", r.Status, r.Channel, r.CitedLaw,
                r.Due, r.Kind, r.Due is { } due && r.Status.IsOpen() ? ClockDisplay.Urgency(due, Today, DueSoonDays) : null,
                r.AssignedOfficerId is null ? null : names.GetValueOrDefault(r.AssignedOfficerId, "(former staff member)")))
            .ToList();
    }

    /// <summary>Member-initialised (not a positional record) so EF can filter and order on its members.</summary>
    private async Task<QueueCounts.Snapshot> CountAsync(DateOnly soon, CancellationToken cancellationToken)
    {
        var computedAt = time.Now;
        var open = db.Set<RequestNextDue>().AsNoTracking().Where(n => n.IsOpen)
            .Select(n => new { n.ReceivedAt, n.AssignedOfficerId, Due = n.DueDate });
        // Bucket boundaries as instants: "received 8 days ago or earlier" is "before the start of that district day".
        var startOf = AgeRanges.Select(a => StartOfDay(Today.AddDays(-a.Min))).ToArray();
        var today = Today;
        var totals = await open.GroupBy(_ => 1).Select(g => new
        {
            Open = g.Count(),
            Overdue = g.Count(x => x.Due < today),
            Soon = g.Count(x => x.Due >= today && x.Due <= soon),
            Unassigned = g.Count(x => x.AssignedOfficerId == null),
            Age0 = g.Count(x => x.ReceivedAt >= startOf[1]),
            Age1 = g.Count(x => x.ReceivedAt < startOf[1] && x.ReceivedAt >= startOf[2]),
            Age2 = g.Count(x => x.ReceivedAt < startOf[2] && x.ReceivedAt >= startOf[3]),
            Age3 = g.Count(x => x.ReceivedAt < startOf[3] && x.ReceivedAt >= startOf[4]),
            Age4 = g.Count(x => x.ReceivedAt < startOf[4] && x.ReceivedAt >= startOf[5]),
            Age5 = g.Count(x => x.ReceivedAt < startOf[5]),
        }).SingleOrDefaultAsync(cancellationToken);
        var byStatus = await db.Requests.AsNoTracking().GroupBy(r => r.Status).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        int[] ages = totals is null ? new int[AgeRanges.Length] : [totals.Age0, totals.Age1, totals.Age2, totals.Age3, totals.Age4, totals.Age5];
        return new QueueCounts.Snapshot(computedAt, today, totals?.Open ?? 0, totals?.Overdue ?? 0, totals?.Soon ?? 0, totals?.Unassigned ?? 0, ages, byStatus);
    }

    /// <summary>The queue rows matching the filters, on the request facts each row carries (every request has a row).</summary>
    private IQueryable<RequestNextDue> Filter(DateOnly soon)
    {
        var rows = db.Set<RequestNextDue>().AsNoTracking();
        if (Enum.TryParse<RequestStatus>(Status, out var status))
        {
            // The open flag too, so one status is a range of the queue index like the open queue is.
            var open = status.IsOpen();
            rows = rows.Where(n => n.IsOpen == open && n.Status == status);
        }
        else if (Status != "all")
        {
            Status = null;
            rows = rows.Where(n => n.IsOpen);
        }
        if (Assignee == "mine")
        {
            var me = User.FindFirstValue(ClaimTypes.NameIdentifier);
            rows = rows.Where(n => n.AssignedOfficerId == me);
        }
        else if (Assignee == "unassigned")
        {
            rows = rows.Where(n => n.AssignedOfficerId == null);
        }
        else if (!string.IsNullOrEmpty(Assignee))
        {
            rows = rows.Where(n => n.AssignedOfficerId == Assignee);
        }
        if (Law is { } law)
        {
            rows = rows.Where(n => n.CitedLaw == law);
        }
        var today = Today;
        return Due switch
        {
            "overdue" => rows.Where(n => n.DueDate < today),
            "soon" => rows.Where(n => n.DueDate >= today && n.DueDate <= soon),
            _ => rows,
        };
    }

    private DateTimeOffset StartOfDay(DateOnly date) =>
        new(TimeZoneInfo.ConvertTimeToUtc(date.ToDateTime(TimeOnly.MinValue), time.Zone), TimeSpan.Zero);

    /// <summary>The query string of this page with one filter changed, for the count links.</summary>
    public string LinkWith(string? status = null, string? assignee = null, string? due = null)
    {
        var query = new List<string>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                query.Add($"{name}={Uri.EscapeDataString(value)}");
            }
        }
        Add("status", status);
        Add("assignee", assignee);
        Add("due", due);
        return query.Count == 0 ? "/dashboard" : "/dashboard?" + string.Join("&", query);
    }
}
