using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Deadlines;
using RecordsRequests.Features.Redactions;
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
        DateOnly? NextDue, ClockKind? NextClock, string? Urgency, string? Assignee, string Description, bool ReturnedByCounsel);

    /// <summary>A description longer than this is cut on the queue; the request page shows it whole.</summary>
    public const int DescriptionCut = 140;

    /// <summary>The columns a queue can be sorted by, as they appear in the address (?sort=received&amp;dir=desc).</summary>
    public static readonly string[] SortKeys = ["due", "tracking", "received", "requester", "status"];

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

    /// <summary>Words to find: a tracking number (or its start), the requester's name or address, or words of the request.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Sort { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Dir { get; set; }

    public string? Message { get; private set; }
    public DistrictTime Time => time;
    public string? CurrentUserId => User.FindFirstValue(ClaimTypes.NameIdentifier);

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

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        // Sign-in lands here; counsel work from their own queue, which the officers' queue would hide from them.
        if (User.IsInRole(Roles.Counsel) && !User.IsInRole(Roles.RecordsOfficer) && !User.IsInRole(Roles.Admin))
        {
            return Redirect("/counsel");
        }
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

        Message = TempData["QueueMessage"] as string;
        Sort = SortKeys.Contains(Sort) ? Sort : null;
        Dir = Dir == "desc" ? "desc" : null;
        var filtered = Filter(soon);
        var unfiltered = Status is null && string.IsNullOrEmpty(Assignee) && string.IsNullOrEmpty(Due) && Law is null && string.IsNullOrWhiteSpace(Q);
        // Unfiltered, the list is every open request, already counted (a full scan saved per page view).
        MatchingCount = unfiltered ? OpenCount : await filtered.CountAsync(cancellationToken);
        PageNumber = Math.Min(PageNumber, PageCount);
        Rows = await RowsAsync(filtered, (PageNumber - 1) * PageSize, PageSize, cancellationToken);
        return Page();
    }

    /// <summary>
    /// One page of rows in the chosen order. By default the next statutory date first (overdue ones are the earliest),
    /// requests without clocks yet last (PostgreSQL sorts NULLs last), the oldest first among equals; the id keeps pages
    /// from overlapping when all else ties. That default is the order of the queue index, so its page is read from it
    /// directly and only the page's rows join the request; another order joins first.
    /// </summary>
    private async Task<IReadOnlyList<Row>> RowsAsync(IQueryable<RequestNextDue> filtered, int skip, int take, CancellationToken cancellationToken)
    {
        var descending = Dir == "desc";
        var joined =
            from n in filtered
            join r in db.Requests.AsNoTracking() on n.RequestId equals r.Id
            select new { n, r };
        joined = (Sort, descending) switch
        {
            ("tracking", false) => joined.OrderBy(x => x.r.TrackingYear).ThenBy(x => x.r.TrackingSequence),
            ("tracking", true) => joined.OrderByDescending(x => x.r.TrackingYear).ThenByDescending(x => x.r.TrackingSequence),
            ("received", false) => joined.OrderBy(x => x.n.ReceivedAt).ThenBy(x => x.n.RequestId),
            ("received", true) => joined.OrderByDescending(x => x.n.ReceivedAt).ThenBy(x => x.n.RequestId),
            ("requester", false) => joined.OrderBy(x => x.r.Requester.Name ?? x.r.Requester.Email).ThenBy(x => x.n.RequestId),
            ("requester", true) => joined.OrderByDescending(x => x.r.Requester.Name ?? x.r.Requester.Email).ThenBy(x => x.n.RequestId),
            ("status", false) => joined.OrderBy(x => x.n.Status).ThenBy(x => x.n.DueDate).ThenBy(x => x.n.RequestId),
            ("status", true) => joined.OrderByDescending(x => x.n.Status).ThenBy(x => x.n.DueDate).ThenBy(x => x.n.RequestId),
            (_, true) => joined.OrderByDescending(x => x.n.DueDate).ThenByDescending(x => x.n.ReceivedAt).ThenBy(x => x.n.RequestId),
            _ => joined.OrderBy(x => x.n.DueDate).ThenBy(x => x.n.ReceivedAt).ThenBy(x => x.n.RequestId),
        };
        var returned = db.Set<CounselReview>();
        var rows = await joined.Skip(skip).Take(take)
            .Select(x => new
            {
                x.r.TrackingNumber, x.r.ReceivedAt, x.r.Requester.Name, x.r.Requester.Email, x.r.Status, x.r.Channel, x.r.CitedLaw, Due = x.n.DueDate, x.n.Kind,
                x.r.AssignedOfficerId,
                Description = x.r.Description.Length > DescriptionCut ? x.r.Description.Substring(0, DescriptionCut) + "…" : x.r.Description,
                // Counsel's latest word on a request still in review was "returned": the officer has work to do.
                Returned = x.r.Status == RequestStatus.InReview && returned.Where(c => c.RequestId == x.r.Id).OrderByDescending(c => c.DecidedAt)
                    .Select(c => c.Decision).FirstOrDefault() == CounselDecision.Returned,
            })
            .ToListAsync(cancellationToken);
        var names = Officers.ToDictionary(o => o.Id, o => o.Name);
        return rows.Select(r => new Row(r.TrackingNumber, time.DateOf(r.ReceivedAt), r.Name ?? r.Email ?? "Anonymous", r.Status, r.Channel, r.CitedLaw,
                r.Due, r.Kind, r.Due is { } due && r.Status.IsOpen() ? ClockDisplay.Urgency(due, Today, DueSoonDays) : null,
                r.AssignedOfficerId is null ? null : names.GetValueOrDefault(r.AssignedOfficerId, "(former staff member)"), r.Description, r.Returned))
            .ToList();
    }

    /// <summary>The current view (filters, search and order; every page up to <see cref="CsvLimit"/> rows) as CSV.</summary>
    public async Task<IActionResult> OnGetCsvAsync(CancellationToken cancellationToken)
    {
        if (!IsOfficer)
        {
            return Forbid();
        }
        Today = time.Today;
        Sort = SortKeys.Contains(Sort) ? Sort : null;
        Dir = Dir == "desc" ? "desc" : null;
        Officers = await officers.ForDisplayAsync(db, cancellationToken);
        var rows = await RowsAsync(Filter(Today.AddDays(DueSoonDays)), 0, CsvLimit, cancellationToken);
        var csv = new System.Text.StringBuilder("tracking_number,received,next_due,next_date_is,status,requester,assigned_to,description\n");
        foreach (var row in rows)
        {
            csv.AppendJoin(',', [row.TrackingNumber, row.Received.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                row.NextDue?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "", row.NextClock is { } clock ? ClockDisplay.Name(clock) : "",
                row.Status.Label(), Quote(row.Requester), Quote(row.Assignee ?? ""), Quote(row.Description)]).Append('\n');
        }
        return File(System.Text.Encoding.UTF8.GetBytes(csv.ToString()), "text/csv", $"queue-{Today:yyyy-MM-dd}.csv");
    }

    /// <summary>Rows a CSV export carries at most.</summary>
    public const int CsvLimit = 10_000;

    private static string Quote(string value) =>
        // A leading =, +, - or @ would run as a formula in a spreadsheet; a quote mark keeps it text.
        "\"" + (value.Length > 0 && "=+-@".Contains(value[0], StringComparison.Ordinal) ? "'" + value : value).Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private bool IsOfficer => User.IsInRole(Roles.RecordsOfficer) || User.IsInRole(Roles.Admin);

    /// <summary>Assigns the ticked requests (or the one whose "take" button was pressed) to an officer; each change is audited with its request.</summary>
    public async Task<IActionResult> OnPostAssignAsync(string[] selected, string? officerId, string? only, CancellationToken cancellationToken)
    {
        if (!IsOfficer)
        {
            return Forbid();
        }
        var numbers = only is { Length: > 0 } ? [only] : selected ?? [];
        officerId = officerId == "me" ? CurrentUserId : string.IsNullOrEmpty(officerId) ? null : officerId;
        if (numbers.Length == 0)
        {
            TempData["QueueMessage"] = "Tick the requests to assign first.";
        }
        else if (officerId is not null && (await OfficerDirectory.ListAsync(db, cancellationToken)).All(o => o.Id != officerId))
        {
            return BadRequest("Only a records access officer or an admin can be assigned a request.");
        }
        else
        {
            try
            {
                var result = await RequestAssignment.AssignAsync(db, numbers, officerId, cancellationToken);
                var name = officerId is null ? "nobody" : officerId == CurrentUserId ? "you"
                    : (await officers.ForDisplayAsync(db, cancellationToken)).FirstOrDefault(o => o.Id == officerId)?.Name ?? "the officer";
                var assigned = result.Assigned;
                TempData["QueueMessage"] = result.ChangedMeanwhile.Count > 0
                    ? $"Someone else assigned {string.Join(", ", result.ChangedMeanwhile)} at the same time; nothing was changed. Look again and retry."
                    : assigned.Count == 1 ? $"{assigned[0]} is assigned to {name}." : $"{assigned.Count} requests are assigned to {name}.";
            }
            catch (DbUpdateConcurrencyException)
            {
                TempData["QueueMessage"] = "Someone changed one of these requests at the same time; look again and retry.";
            }
        }
        var back = Request.Form["back"].ToString();
        return Redirect(back.StartsWith("/dashboard", StringComparison.Ordinal) ? back : "/dashboard");
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
        if (!string.IsNullOrWhiteSpace(Q))
        {
            // Every word must occur in the tracking number, the requester's name or address, or the request's words.
            foreach (var word in Q.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(8))
            {
                var pattern = "%" + word.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal)
                    .Replace("_", "\\_", StringComparison.Ordinal) + "%";
                rows = rows.Where(n => db.Requests.Any(r => r.Id == n.RequestId && (EF.Functions.ILike(r.TrackingNumber, pattern)
                    || EF.Functions.ILike(r.Description, pattern) || EF.Functions.ILike(r.Requester.Name ?? "", pattern)
                    || EF.Functions.ILike(r.Requester.Email ?? "", pattern))));
            }
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

    /// <summary>This page's address with some parameters replaced (null removes one); a new order or filter starts at page 1.</summary>
    public string Link(params (string Name, string? Value)[] changes)
    {
        var query = Request.Query.Where(q => q.Key is not ("p" or "handler") && changes.All(c => c.Name != q.Key))
            .Select(q => (q.Key, Value: q.Value.ToString())).ToList();
        query.AddRange(changes.Where(c => !string.IsNullOrEmpty(c.Value)).Select(c => (c.Name, c.Value!)));
        var text = string.Join("&", query.Where(q => q.Value.Length > 0).Select(q => $"{q.Key}={Uri.EscapeDataString(q.Value)}"));
        return text.Length == 0 ? "/dashboard" : "/dashboard?" + text;
    }

    /// <summary>A column heading's link: sorts by it, or reverses the order when it already sorts by it.</summary>
    public string SortLink(string key) =>
        Link(("sort", key == "due" ? null : key), ("dir", (Sort ?? "due") == key && Dir != "desc" ? "desc" : null));

    /// <summary>aria-sort for a column heading.</summary>
    public string AriaSort(string key) => (Sort ?? "due") != key ? "none" : Dir == "desc" ? "descending" : "ascending";

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

