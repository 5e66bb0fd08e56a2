using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Audit;

namespace RecordsRequests.Features.Admin;

[Authorize(Policy = Policies.Admins)]
public sealed class AuditModel(AppDbContext db) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    public IReadOnlyList<AuditEvent> Events { get; private set; } = [];
    public AuditChain.Verification? Check { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task OnPostAsync(CancellationToken cancellationToken)
    {
        Check = await AuditChain.VerifyAsync(db, cancellationToken);
        await LoadAsync(cancellationToken);
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var events = db.AuditEvents.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(Q))
        {
            var pattern = $"%{Q.Trim()}%";
            events = events.Where(e => EF.Functions.ILike(e.Action, pattern) || EF.Functions.ILike(e.Actor, pattern)
                || EF.Functions.ILike(e.EntityType, pattern) || EF.Functions.ILike(e.EntityId, pattern));
        }
        Events = await events.OrderByDescending(e => e.Sequence).Take(200).ToListAsync(cancellationToken);
    }
}
