using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;
using RecordsRequests.Features.Archive;
using RecordsRequests.Features.Audit;
using RecordsRequests.Features.Messages;
using RecordsRequests.Features.Deadlines;
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
        SavedSearches = await db.Set<SavedSearch>().AsNoTracking().Where(s => s.RequestId == request.Id).OrderBy(s => s.SearchedAt)
            .ToListAsync(cancellationToken);
        return Page();
    }
}

public sealed record TimelineEntry(DateTimeOffset At, string What, string Detail, string? MessageText);
