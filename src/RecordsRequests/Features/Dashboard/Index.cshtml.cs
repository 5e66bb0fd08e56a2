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
        var requests = await db.Requests.AsNoTracking().Where(r => open.Contains(r.Status))
            .Select(r => new { r.Id, r.TrackingNumber, r.ReceivedAt, r.Requester.Name, r.Requester.Email, r.Status, r.Channel, r.CitedLaw })
            .ToListAsync(cancellationToken);
        OpenCount = requests.Count;
        var ids = requests.Select(r => r.Id).ToList();
        var next = await NextDueAsync(ids, cancellationToken);
        Rows = requests
            .Select(r =>
            {
                (DateOnly Date, ClockKind Kind)? due = next.TryGetValue(r.Id, out var found) ? found : null;
                return new Row(r.TrackingNumber, time.DateOf(r.ReceivedAt), r.Name ?? r.Email ?? "Anonymous", r.Status, r.Channel, r.CitedLaw,
                    due?.Date, due?.Kind, due is { } d ? ClockDisplay.Urgency(d.Date, Today) : null);
            })
            // The next statutory date first (overdue ones are the earliest); requests without clocks yet last.
            .OrderBy(r => r.NextDue ?? DateOnly.MaxValue).ThenBy(r => r.Received)
            .Take(200)
            .ToList();
    }

    /// <summary>Each request's next live clock: day 10 until a response is recorded, the petition deadline while no
    /// extension is recorded, and the production date that governs — the same clocks reminders follow.</summary>
    private async Task<Dictionary<Guid, (DateOnly Date, ClockKind Kind)>> NextDueAsync(List<Guid> ids, CancellationToken cancellationToken)
    {
        var clocks = await db.Set<RequestClock>().AsNoTracking().Where(c => ids.Contains(c.RequestId)).ToListAsync(cancellationToken);
        var inputs = await db.Set<RequestClockInput>().AsNoTracking().Where(i => ids.Contains(i.RequestId)).ToDictionaryAsync(i => i.RequestId, cancellationToken);
        return clocks
            .Where(c => c.Kind switch
            {
                ClockKind.ResponseDue => inputs.GetValueOrDefault(c.RequestId)?.WrittenResponseOn is null,
                ClockKind.PetitionDeadline => inputs.GetValueOrDefault(c.RequestId)?.ExtensionBusinessDays is null,
                ClockKind.ProductionDue or ClockKind.ExtendedProductionDue or ClockKind.AgreedProductionDate => c.Governing,
                _ => false,
            })
            .GroupBy(c => c.RequestId)
            .ToDictionary(g => g.Key, g => g.OrderBy(c => c.DueDate).Select(c => (c.DueDate, c.Kind)).First());
    }
}
