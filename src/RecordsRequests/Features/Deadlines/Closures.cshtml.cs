using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Deadlines;

/// <summary>Admins enter the days the district's office is closed; every in-flight request's clocks follow at once.</summary>
[Authorize(Policy = Policies.Admins)]
public sealed class ClosuresModel(AppDbContext db, RequestClockUpdater clocks, DistrictTime time, ICurrentActor actor,
    Microsoft.Extensions.Options.IOptions<DeadlineOptions> deadlines) : PageModel
{
    /// <summary>This year's and next year's legal holidays, which no count includes and nobody needs to enter.</summary>
    public IReadOnlyList<Holiday> Holidays => [.. MassachusettsHolidays.For(time.Today.Year, deadlines.Value.IncludeSuffolkCountyDays),
        .. MassachusettsHolidays.For(time.Today.Year + 1, deadlines.Value.IncludeSuffolkCountyDays)];

    public sealed class Input
    {
        [Required(ErrorMessage = "Give the date the office is closed.")]
        [Display(Name = "Date")]
        public DateOnly? Date { get; set; }

        [Required(ErrorMessage = "Say why the office is closed.")]
        [StringLength(200)]
        [Display(Name = "Reason (shown in every date it moves)")]
        public string Reason { get; set; } = "";
    }

    [BindProperty]
    public Input Form { get; set; } = new();

    public IReadOnlyList<DistrictClosure> Closures { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Closures = await db.Set<DistrictClosure>().AsNoTracking().OrderByDescending(c => c.Date).ToListAsync(cancellationToken);

    public async Task<IActionResult> OnPostAddAsync(CancellationToken cancellationToken)
    {
        if (ModelState.IsValid && await db.Set<DistrictClosure>().AnyAsync(c => c.Date == Form.Date, cancellationToken))
        {
            ModelState.AddModelError("Form.Date", "That day is already entered as a closure.");
        }
        if (!ModelState.IsValid)
        {
            await OnGetAsync(cancellationToken);
            return Page();
        }
        db.Add(DistrictClosure.Enter(Form.Date!.Value, Form.Reason, time.Now, actor.Name));
        await db.SaveChangesAsync(cancellationToken);
        var changed = await clocks.RecomputeInFlightAsync(cancellationToken);
        Message = $"Closure entered; clocks recomputed, {changed} request(s) changed.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRemoveAsync(Guid id, CancellationToken cancellationToken)
    {
        var closure = await db.Set<DistrictClosure>().SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (closure is null)
        {
            return NotFound();
        }
        db.Remove(closure);
        await db.SaveChangesAsync(cancellationToken);
        var changed = await clocks.RecomputeInFlightAsync(cancellationToken);
        Message = $"Closure removed; clocks recomputed, {changed} request(s) changed.";
        return RedirectToPage();
    }
}
