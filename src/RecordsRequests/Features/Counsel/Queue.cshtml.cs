using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Redactions;
using RecordsRequests.Features.Requests;

namespace RecordsRequests.Features.Counsel;

/// <summary>Requests whose redactions wait for counsel: officers have decided every suggestion, counsel have not approved.</summary>
[Authorize(Policy = Policies.Counsel)]
public sealed class QueueModel(AppDbContext db) : PageModel
{
    public sealed record Row(string TrackingNumber, int Redactions);

    public IReadOnlyList<Row> Waiting { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        // Waiting for counsel: a request the workflow has moved to counsel (it may have no redactions, yet counsel still
        // approve the response), or one whose officer has accepted redactions that counsel have not yet approved.
        var accepted = db.Set<Redaction>().Where(r => r.Status == RedactionStatus.Accepted);
        Waiting = await db.Set<Request>()
            .Where(r => r.Status == RequestStatus.AwaitingCounsel || accepted.Any(a => a.RequestId == r.Id))
            .OrderBy(r => r.TrackingNumber)
            .Select(r => new Row(r.TrackingNumber, accepted.Count(a => a.RequestId == r.Id)))
            .ToListAsync(cancellationToken);
    }
}
