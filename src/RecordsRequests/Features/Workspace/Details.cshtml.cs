using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Archive;
using RecordsRequests.Features.Deadlines;
using RecordsRequests.Features.Redactions;
using RecordsRequests.Features.Releases;
using RecordsRequests.Features.Requests;
using RecordsRequests.Features.Workflow;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Workspace;

/// <summary>
/// The request page: one request's facts, dates, workflow, records, letters and timeline, composed from every feature
/// (which is why it lives here, above them, and not in Requests).
/// </summary>
[Authorize(Policy = Policies.Staff)]
public sealed class DetailsModel(AppDbContext db, DistrictTime time, RequestLifecycle lifecycle, OfficerDirectory officers) : PageModel
{
    public Request Item { get; private set; } = null!;

    /// <summary>Audit events and every message to or from the requester, in time order.</summary>
    public IReadOnlyList<TimelineEntry> Entries { get; private set; } = [];
    public IReadOnlyList<RequestClock> Clocks { get; private set; } = [];
    public DistrictTime Time => time;
    public LifecyclePanel Lifecycle { get; private set; } = null!;
    public IReadOnlyList<OfficerDirectory.Officer> Officers { get; private set; } = [];
    public string? AssignedOfficerName { get; private set; }
    public RequestNextDue? NextDue { get; private set; }
    public int RecordCount { get; private set; }
    public IReadOnlyDictionary<RedactionStatus, int> RedactionCounts { get; private set; } = new Dictionary<RedactionStatus, int>();
    public IReadOnlyList<FeeEstimate> Fees { get; private set; } = [];
    public IReadOnlyList<ReleaseSummary> Releases { get; private set; } = [];
    public int LettersSent { get; private set; }

    /// <summary>Counsel's comment when their latest decision returned the request; the officer must see it here.</summary>
    public CounselReview? LatestReturn { get; private set; }

    /// <summary>Officers and admins work the request; counsel read it (its words, dates and timeline) without its actions.</summary>
    public bool CanAct => User.IsInRole(Roles.RecordsOfficer) || User.IsInRole(Roles.Admin);

    public sealed record ReleaseSummary(DateTimeOffset ReleasedAt, string ReleasedBy, int Files);
    public IReadOnlyList<SavedSearch> SavedSearches { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string trackingNumber, CancellationToken cancellationToken)
    {
        // One pooled connection for the page's dozen queries, not one taken and reset per query.
        await db.Database.OpenConnectionAsync(cancellationToken);
        // The workflow is read before the request: a step commits the request's status before the engine records that
        // it waits, so a wait read first has its status committed when the request is read after it. Read the other
        // way round, a step taken between the two reads showed the next step beside the previous status.
        var requestId = await db.Requests.Where(r => r.TrackingNumber == trackingNumber).Select(r => (Guid?)r.Id).SingleOrDefaultAsync(cancellationToken);
        var workflow = requestId is { } id ? await lifecycle.DescribeAsync(id, cancellationToken) : null;
        // The request, its next date and its record count in one round trip (officers open this page all day).
        // (A join on the row's key: a FirstOrDefault subquery here becomes a window over every request's row.)
        var found = await (
                from r in db.Requests.AsNoTracking().Include(r => r.Requester)
                where r.TrackingNumber == trackingNumber
                join n in db.Set<RequestNextDue>().AsNoTracking() on r.Id equals n.RequestId into next
                from n in next.DefaultIfEmpty()
                select new { Request = r, NextDue = n, RecordCount = db.Records.Count(x => x.RequestId == r.Id) })
            .SingleOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return NotFound();
        }
        var request = found.Request;
        Item = request;
        NextDue = found.NextDue;
        RecordCount = found.RecordCount;
        Lifecycle = new LifecyclePanel(request.TrackingNumber, request.Status, workflow,
            request.Status.CanMoveTo(RequestStatus.Withdrawn), TempData["WorkflowMessage"] as string, CanAct);
        Clocks = await ClockDisplay.ForRequestAsync(db, request.Id, cancellationToken);
        Officers = await officers.ForDisplayAsync(db, cancellationToken);
        Entries = await Timeline.LoadAsync(db, request.Id, Officers.ToDictionary(o => o.Id, o => o.Name), cancellationToken);
        LatestReturn = await db.Set<CounselReview>().AsNoTracking().Where(r => r.RequestId == request.Id)
            .OrderByDescending(r => r.DecidedAt).ThenByDescending(r => r.Id).FirstOrDefaultAsync(cancellationToken) is { Decision: CounselDecision.Returned } returned
            ? returned : null;
        AssignedOfficerName = request.AssignedOfficerId is null ? null
            : Officers.FirstOrDefault(o => o.Id == request.AssignedOfficerId)?.Name ?? "(a former staff member)";
        RedactionCounts = await db.Set<Redaction>().Where(r => r.RequestId == request.Id).GroupBy(r => r.Status)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        Fees = await db.Set<FeeEstimate>().AsNoTracking().Where(f => f.RequestId == request.Id).OrderBy(f => f.EstimatedAt).ToListAsync(cancellationToken);
        Releases = await db.Set<Release>().AsNoTracking().Where(r => r.RequestId == request.Id).OrderBy(r => r.ReleasedAt)
            .Select(r => new ReleaseSummary(r.ReleasedAt, r.ReleasedBy, r.Files.Count)).ToListAsync(cancellationToken);
        LettersSent = Entries.Count(e => e.Kind == "message" && e.What.StartsWith("E-mail sent", StringComparison.Ordinal));
        SavedSearches = await db.Set<SavedSearch>().AsNoTracking().Where(s => s.RequestId == request.Id).OrderBy(s => s.SearchedAt)
            .ToListAsync(cancellationToken);
        return Page();
    }

    /// <summary>Assigns or reassigns the officer working the request; the change is audited with the request row (Request.Updated).</summary>
    public async Task<IActionResult> OnPostAssignAsync(string trackingNumber, string? officerId, CancellationToken cancellationToken)
    {
        if (!CanAct)
        {
            return Forbid();
        }
        if (!await db.Requests.AnyAsync(r => r.TrackingNumber == trackingNumber, cancellationToken))
        {
            return NotFound();
        }
        officerId = string.IsNullOrEmpty(officerId) ? null : officerId;
        if (officerId is not null && (await OfficerDirectory.ListAsync(db, cancellationToken)).All(o => o.Id != officerId))
        {
            return BadRequest("Only a records access officer or an admin can be assigned a request.");
        }
        try
        {
            if ((await RequestAssignment.AssignAsync(db, [trackingNumber], officerId, cancellationToken)).ChangedMeanwhile.Count > 0)
            {
                TempData["WorkflowMessage"] = "Someone else assigned this request at the same time; look at who has it now and assign it again if you still mean to.";
            }
        }
        catch (DbUpdateConcurrencyException)
        {
            TempData["WorkflowMessage"] = "Someone changed this request at the same time; look again and retry the assignment.";
        }
        return Redirect($"/requests/{Uri.EscapeDataString(trackingNumber)}");
    }
}
