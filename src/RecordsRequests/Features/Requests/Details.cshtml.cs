using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;
using RecordsRequests.Features.Audit;
using RecordsRequests.Features.Workflow;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Requests;

public sealed class DetailsModel(AppDbContext db, DistrictTime time, RequestLifecycle lifecycle) : PageModel
{
    public Request Item { get; private set; } = null!;
    public IReadOnlyList<AuditEvent> Timeline { get; private set; } = [];
    public DistrictTime Time => time;
    public LifecyclePanel Lifecycle { get; private set; } = null!;

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
        return Page();
    }
}
