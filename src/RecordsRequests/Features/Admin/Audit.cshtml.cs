using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Audit;

namespace RecordsRequests.Features.Admin;

[Authorize(Policy = Policies.Admins)]
public sealed class AuditModel(AppDbContext db, OfficerDirectory officers) : PageModel
{
    public const int PageSize = 100;

    /// <summary>An event as the log shows it: in words, with its request's tracking number; the stored values behind a toggle.</summary>
    public sealed record Line(AuditEvent Event, string What, string Detail, string? TrackingNumber);

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    /// <summary>A tracking number: every event of that request (who saw or changed what, 603 CMR 23.07(4)).</summary>
    [BindProperty(SupportsGet = true, Name = "request")]
    public string? TrackingNumber { get; set; }

    /// <summary>Part of a person's name or address: everything they did.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Person { get; set; }

    /// <summary>A record's or other row's id: every event about it.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Entity { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public bool HasMore { get; private set; }

    public IReadOnlyList<Line> Events { get; private set; } = [];
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
        if (!string.IsNullOrWhiteSpace(TrackingNumber))
        {
            var tracking = TrackingNumber.Trim();
            events = events.Where(e => db.Requests.Any(r => r.Id == e.RequestId && r.TrackingNumber == tracking));
        }
        if (!string.IsNullOrWhiteSpace(Person))
        {
            var person = $"%{Person.Trim()}%";
            events = events.Where(e => EF.Functions.ILike(e.Actor, person));
        }
        if (!string.IsNullOrWhiteSpace(Entity))
        {
            var entity = Entity.Trim();
            events = events.Where(e => e.EntityId == entity);
        }
        if (!string.IsNullOrWhiteSpace(Q))
        {
            var pattern = $"%{Q.Trim()}%";
            events = events.Where(e => EF.Functions.ILike(e.Action, pattern) || EF.Functions.ILike(e.Actor, pattern)
                || EF.Functions.ILike(e.EntityType, pattern) || EF.Functions.ILike(e.EntityId, pattern));
        }
        PageNumber = Math.Max(1, PageNumber);
        var page = await events.OrderByDescending(e => e.Sequence).Skip((PageNumber - 1) * PageSize).Take(PageSize + 1)
            .Select(e => new { Event = e, Tracking = db.Requests.Where(r => r.Id == e.RequestId).Select(r => r.TrackingNumber).FirstOrDefault() })
            .ToListAsync(cancellationToken);
        HasMore = page.Count > PageSize;
        var names = (await officers.ForDisplayAsync(db, cancellationToken)).ToDictionary(o => o.Id, o => o.Name);
        Events = page.Take(PageSize).Select(x =>
        {
            var (what, detail) = Workspace.Timeline.Describe(x.Event.Action, x.Event.Before, x.Event.After, names);
            return new Line(x.Event, what, detail, x.Tracking);
        }).ToList();
    }
}
