using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;

namespace RecordsRequests.Features.Deadlines;

/// <summary>Admins correct a regime's day counts (seeded from the presets); in-flight clocks are recomputed at once.</summary>
[Authorize(Policy = Policies.Admins)]
public sealed class RegimesModel(AppDbContext db, RequestClockUpdater clocks) : PageModel
{
    public sealed class Input
    {
        [Required]
        public string Name { get; set; } = "";
        public DayCount Unit { get; set; }
        [Range(1, 365)]
        public int ResponseDays { get; set; }
        [Range(1, 365)]
        public int PetitionDays { get; set; }
        [Range(1, 365)]
        public int ProductionDays { get; set; }
        [Range(0, 365)]
        public int MaxSupervisorExtensionDays { get; set; }
        [Required]
        [StringLength(300)]
        public string Citation { get; set; } = "";
    }

    [BindProperty]
    public Input Form { get; set; } = new();

    public IReadOnlyList<RegimeSetting> Regimes { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Regimes = await db.Set<RegimeSetting>().AsNoTracking().OrderBy(r => r.Name).ToListAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var regime = await db.Set<RegimeSetting>().SingleOrDefaultAsync(r => r.Name == Form.Name, cancellationToken);
        if (regime is null)
        {
            return NotFound();
        }
        if (ModelState.IsValid)
        {
            try
            {
                regime.Change(Form.Unit, Form.ResponseDays, Form.PetitionDays, Form.ProductionDays, Form.MaxSupervisorExtensionDays, Form.Citation);
            }
            catch (DomainException e)
            {
                ModelState.AddModelError("", e.Message);
            }
        }
        if (!ModelState.IsValid)
        {
            await OnGetAsync(cancellationToken);
            return Page();
        }
        await db.SaveChangesAsync(cancellationToken);
        var changed = await clocks.RecomputeInFlightAsync(cancellationToken);
        Message = $"{regime.Description}: saved; clocks recomputed, {changed} request(s) changed.";
        return RedirectToPage();
    }
}
