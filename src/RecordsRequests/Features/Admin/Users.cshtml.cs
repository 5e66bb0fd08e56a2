using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Audit;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Admin;

/// <summary>Staff accounts. Role changes are audited explicitly: Identity's tables are not audited entities.</summary>
[Authorize(Policy = Policies.Admins)]
public sealed class UsersModel(UserManager<StaffUser> users, AppDbContext db, ICurrentActor actor, TimeProvider clock, OfficerDirectory officers) : PageModel
{
    public sealed record Row(string Id, string DisplayName, string? Email, IList<string> Roles, DateTimeOffset? LockedUntil);

    public IReadOnlyList<Row> Users { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync()
    {
        var rows = new List<Row>();
        foreach (var user in await users.Users.AsNoTracking().OrderBy(u => u.Email).ToListAsync())
        {
            rows.Add(new Row(user.Id, user.DisplayName, user.Email, await users.GetRolesAsync(user),
                user.LockoutEnd > clock.GetUtcNow() ? user.LockoutEnd : null));
        }
        Users = rows;
    }

    public async Task<IActionResult> OnPostRoleAsync(string userId, string role)
    {
        var user = await users.FindByIdAsync(userId);
        if (user is null || !Roles.All.Contains(role))
        {
            return NotFound();
        }
        var before = await users.GetRolesAsync(user);
        await users.RemoveFromRolesAsync(user, before);
        await users.AddToRoleAsync(user, role);
        // Ends the member's open sessions (at the next cookie check): they sign in again and get only the new role.
        await users.UpdateSecurityStampAsync(user);
        officers.Forget();
        await AuditAsync("StaffUser.RoleChanged", user.Id, string.Join(",", before), role);
        Message = $"{user.Email} is now {role}.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostCreateAsync(string displayName, string email, string role, string password)
    {
        if (!Roles.All.Contains(role))
        {
            return BadRequest();
        }
        var user = new StaffUser { UserName = email, Email = email, DisplayName = displayName, EmailConfirmed = true };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            foreach (var error in created.Errors)
            {
                ModelState.AddModelError("", error.Description);
            }
            await OnGetAsync();
            return Page();
        }
        await users.AddToRoleAsync(user, role);
        officers.Forget();
        await AuditAsync("StaffUser.Created", user.Id, null, $"{email} as {role}");
        Message = $"{email} was added as {role}.";
        return RedirectToPage();
    }

    private async Task AuditAsync(string action, string userId, string? before, string after)
    {
        db.AuditEvents.Add(AuditEvent.Create(clock.GetUtcNow(), actor.Name, action, nameof(StaffUser), userId, null,
            before is null ? null : System.Text.Json.JsonSerializer.SerializeToDocument(new { Roles = before }),
            System.Text.Json.JsonSerializer.SerializeToDocument(new { Value = after })));
        await db.SaveChangesAsync();
    }
}
