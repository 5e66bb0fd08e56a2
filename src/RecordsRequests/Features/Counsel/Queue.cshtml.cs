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
        var counts = await db.Set<Redaction>().Where(r => r.Status == RedactionStatus.Accepted)
            .GroupBy(r => r.RequestId).Select(g => new { RequestId = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var ids = counts.Select(c => c.RequestId).ToList();
        var numbers = await db.Set<Request>().Where(r => ids.Contains(r.Id)).ToDictionaryAsync(r => r.Id, r => r.TrackingNumber, cancellationToken);
        Waiting = counts.Select(c => new Row(numbers[c.RequestId], c.Count)).OrderBy(r => r.TrackingNumber, StringComparer.Ordinal).ToList();
    }
}
