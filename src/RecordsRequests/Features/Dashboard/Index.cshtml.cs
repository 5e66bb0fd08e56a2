using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;
using RecordsRequests.Features.Deadlines;
using RecordsRequests.Features.Requests;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Dashboard;

public sealed class IndexModel(AppDbContext db, DistrictTime time) : PageModel
{
    public sealed record Row(string TrackingNumber, DateOnly Received, string Requester, RequestStatus Status, RequestChannel Channel, CitedLaw CitedLaw,
        DateOnly? NextDue, ClockKind? NextClock, string? Urgency);

    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public int OpenCount { get; private set; }
    public DateOnly Today { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Today = time.Today;
        var open = Enum.GetValues<RequestStatus>().Where(s => s.IsOpen()).ToList();
        var requests = db.Requests.AsNoTracking().Where(r => open.Contains(r.Status));
        OpenCount = await requests.CountAsync(cancellationToken);
        // The next statutory date first (overdue ones are the earliest); requests without clocks yet last.
        var rows = await (
                from r in requests
                join n in db.Set<RequestNextDue>() on r.Id equals n.RequestId into positions
                from n in positions.DefaultIfEmpty()
                orderby n.DueDate == null, n.DueDate, r.ReceivedAt
                select new { r.TrackingNumber, r.ReceivedAt, r.Requester.Name, r.Requester.Email, r.Status, r.Channel, r.CitedLaw, Due = (DateOnly?)n.DueDate, n.Kind })
            .Take(200)
            .ToListAsync(cancellationToken);
        Rows = rows.Select(r => new Row(r.TrackingNumber, time.DateOf(r.ReceivedAt), r.Name ?? r.Email ?? "Anonymous", r.Status, r.Channel, r.CitedLaw,
                r.Due, r.Kind, r.Due is { } due ? ClockDisplay.Urgency(due, Today) : null))
            .ToList();
    }
}
