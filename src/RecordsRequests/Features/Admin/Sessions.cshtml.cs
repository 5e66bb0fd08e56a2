using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Admin;

/// <summary>How long a signed-in staff member may leave the dashboard unused before signing in again. Changes are audited.</summary>
[Authorize(Policy = Policies.Admins)]
public sealed class SessionsModel(AppDbContext db, IdleTimeout idle, ICurrentActor actor, TimeProvider clock) : PageModel
{
    [BindProperty]
    [Required(ErrorMessage = "Give the number of minutes.")]
    [Range(SessionPolicy.MinimumMinutes, SessionPolicy.MaximumMinutes, ErrorMessage = "Choose between 5 minutes and 12 hours (720 minutes).")]
    [Display(Name = "Minutes without activity before a session ends")]
    public int? IdleMinutes { get; set; }

    public SessionPolicy? Policy { get; private set; }
    public TimeSpan Default => idle.Default;

    [TempData]
    public string? Notice { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Policy = await db.Set<SessionPolicy>().AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        IdleMinutes = Policy?.IdleMinutes ?? (int)Default.TotalMinutes;
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid || IdleMinutes is not { } minutes)
        {
            Policy = await db.Set<SessionPolicy>().AsNoTracking().SingleOrDefaultAsync(cancellationToken);
            return Page();
        }
        var policy = await db.Set<SessionPolicy>().SingleOrDefaultAsync(cancellationToken);
        if (policy is null)
        {
            db.Add(SessionPolicy.Create(minutes, actor.Name, clock.GetUtcNow()));
        }
        else
        {
            policy.Change(minutes, actor.Name, clock.GetUtcNow());
        }
        await db.SaveChangesAsync(cancellationToken);
        idle.Forget();
        Notice = $"Sessions now end after {Describe(TimeSpan.FromMinutes(minutes))} without activity. Other running copies of the application follow within half a minute.";
        return RedirectToPage();
    }

    public static string Describe(TimeSpan span) => span.TotalMinutes < 60 || span.TotalMinutes % 60 != 0
        ? $"{(int)span.TotalMinutes} minutes"
        : span.TotalHours == 1 ? "1 hour" : $"{(int)span.TotalHours} hours";
}
