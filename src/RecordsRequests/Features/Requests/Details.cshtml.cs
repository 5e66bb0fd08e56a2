using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Archive;
using RecordsRequests.Features.Audit;
using RecordsRequests.Features.Messages;
using RecordsRequests.Features.Deadlines;
using RecordsRequests.Features.Redactions;
using RecordsRequests.Features.Releases;
using RecordsRequests.Features.Workflow;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Requests;

public sealed class DetailsModel(AppDbContext db, DistrictTime time, RequestLifecycle lifecycle) : PageModel
{
    public Request Item { get; private set; } = null!;
    public IReadOnlyList<AuditEvent> Timeline { get; private set; } = [];

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

    public sealed record ReleaseSummary(DateTimeOffset ReleasedAt, string ReleasedBy, int Files);
    public IReadOnlyList<SavedSearch> SavedSearches { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string trackingNumber, CancellationToken cancellationToken)
    {
        var request = await db.Requests.AsNoTracking().Include(r => r.Requester)
            .SingleOrDefaultAsync(r => r.TrackingNumber == trackingNumber, cancellationToken);
        if (request is null)
        {
            return NotFound();
        }
        Item = request;
        Lifecycle = new LifecyclePanel(request.TrackingNumber, await lifecycle.DescribeAsync(request.Id, cancellationToken),
            request.Status.CanMoveTo(RequestStatus.Withdrawn), TempData["WorkflowMessage"] as string);
        Timeline = await db.AuditEvents.AsNoTracking().Where(a => a.RequestId == request.Id).OrderBy(a => a.Id).ToListAsync(cancellationToken);
        var messages = await db.Messages.AsNoTracking().Where(m => m.RequestId == request.Id)
            .Select(m => new { m.Id, m.RecordedAt, m.Direction, m.FromAddress, m.ToAddresses, m.Subject, m.BodyText })
            .ToListAsync(cancellationToken);
        Entries = Timeline.Select(e => new TimelineEntry(e.OccurredAt, e.Action, e.Actor, null))
            .Concat(messages.Select(m => new TimelineEntry(m.RecordedAt,
                m.Direction == MessageDirection.Inbound ? $"E-mail received from {m.FromAddress}" : $"E-mail sent to {m.ToAddresses}",
                m.Subject, m.BodyText.Length > 4000 ? m.BodyText[..4000] + " …" : m.BodyText)))
            .OrderBy(e => e.At).ToList();
        Clocks = await ClockDisplay.ForRequestAsync(db, request.Id, cancellationToken);
        NextDue = await db.Set<RequestNextDue>().AsNoTracking().SingleOrDefaultAsync(n => n.RequestId == request.Id, cancellationToken);
        Officers = await OfficerDirectory.ListAsync(db, cancellationToken);
        AssignedOfficerName = request.AssignedOfficerId is null ? null
            : Officers.FirstOrDefault(o => o.Id == request.AssignedOfficerId)?.Name ?? "(a former staff member)";
        RecordCount = await db.Records.CountAsync(r => r.RequestId == request.Id, cancellationToken);
        RedactionCounts = await db.Set<Redaction>().Where(r => r.RequestId == request.Id).GroupBy(r => r.Status)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        Fees = await db.Set<FeeEstimate>().AsNoTracking().Where(f => f.RequestId == request.Id).OrderBy(f => f.EstimatedAt).ToListAsync(cancellationToken);
        Releases = await db.Set<Release>().AsNoTracking().Where(r => r.RequestId == request.Id).OrderBy(r => r.ReleasedAt)
            .Select(r => new ReleaseSummary(r.ReleasedAt, r.ReleasedBy, r.Files.Count)).ToListAsync(cancellationToken);
        LettersSent = messages.Count(m => m.Direction == MessageDirection.Outbound);
        SavedSearches = await db.Set<SavedSearch>().AsNoTracking().Where(s => s.RequestId == request.Id).OrderBy(s => s.SearchedAt)
            .ToListAsync(cancellationToken);
        return Page();
    }

    /// <summary>Assigns or reassigns the officer working the request; the change is audited with the request row (Request.Updated).</summary>
    public async Task<IActionResult> OnPostAssignAsync(string trackingNumber, string? officerId, CancellationToken cancellationToken)
    {
        var request = await db.Requests.SingleOrDefaultAsync(r => r.TrackingNumber == trackingNumber, cancellationToken);
        if (request is null)
        {
            return NotFound();
        }
        officerId = string.IsNullOrEmpty(officerId) ? null : officerId;
        if (officerId is not null && (await OfficerDirectory.ListAsync(db, cancellationToken)).All(o => o.Id != officerId))
        {
            return BadRequest("Only a records access officer or an admin can be assigned a request.");
        }
        request.AssignTo(officerId);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            TempData["WorkflowMessage"] = "Someone changed this request at the same time; look again and retry the assignment.";
        }
        return Redirect($"/requests/{Uri.EscapeDataString(trackingNumber)}");
    }
}

public sealed record TimelineEntry(DateTimeOffset At, string What, string Detail, string? MessageText);
