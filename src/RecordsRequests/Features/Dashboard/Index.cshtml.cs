using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;
using RecordsRequests.Features.Requests;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Dashboard;

public sealed class IndexModel(AppDbContext db, DistrictTime time) : PageModel
{
    public sealed record Row(string TrackingNumber, DateOnly Received, string Requester, RequestStatus Status, RequestChannel Channel, CitedLaw CitedLaw);

    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public int OpenCount { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var closed = new[] { RequestStatus.Closed, RequestStatus.Withdrawn, RequestStatus.NotARequest, RequestStatus.Responded };
        var open = db.Requests.AsNoTracking().Where(r => !closed.Contains(r.Status));
        OpenCount = await open.CountAsync(cancellationToken);
        var rows = await open
            .OrderBy(r => r.ReceivedAt)
            .Take(200)
            .Select(r => new { r.TrackingNumber, r.ReceivedAt, r.Requester.Name, r.Requester.Email, r.Status, r.Channel, r.CitedLaw })
            .ToListAsync(cancellationToken);
        Rows = rows.Select(r => new Row(r.TrackingNumber, time.DateOf(r.ReceivedAt), r.Name ?? r.Email ?? "Anonymous", r.Status, r.Channel, r.CitedLaw)).ToList();
    }
}
