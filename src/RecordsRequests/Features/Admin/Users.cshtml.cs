using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Correspondence;
using RecordsRequests.Features.Mail;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Admin;

/// <summary>
/// Staff accounts: roles (several per person), disabling and enabling, lifting the sign-in slowdown after failed
/// attempts, sending a password reset, and resetting a lost authenticator app. Every change is audited explicitly: Identity's tables are not audited
/// entities. Disabling ends the member's sessions at once; a disabled account cannot sign in or use an API token.
/// </summary>
[Authorize(Policy = Policies.Admins)]
public sealed class UsersModel(UserManager<StaffUser> users, RoleManager<IdentityRole> roleStore, AppDbContext db, ICurrentActor actor, TimeProvider clock, OfficerDirectory officers,
    AbuseLog abuse, IOptions<AccountOptions> accounts, Outbox outbox, IOptions<RecordsOptions> records) : PageModel
{
    public sealed record Row(string Id, string DisplayName, string? Email, IList<string> Roles, bool Disabled, int RecentFailures, bool Slowed, bool TwoFactor);

    public IReadOnlyList<Row> Users { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync()
    {
        var settings = accounts.Value;
        var rows = new List<Row>();
        foreach (var user in await users.Users.AsNoTracking().OrderBy(u => u.Email).ToListAsync())
        {
            var failures = user.Email is null ? 0 : await abuse.CountAsync(AbuseChannel.SignIn, "failed", user.Email, null, settings.FailureWindow);
            // Roles in one fixed order (officer, counsel, admin), whatever order the database returns them in.
            var roles = (await users.GetRolesAsync(user)).OrderBy(r => Array.IndexOf(Roles.All, r)).ToList();
            rows.Add(new Row(user.Id, user.DisplayName, user.Email, roles, IsDisabled(user), failures,
                failures >= Math.Min(settings.FailuresPerClientAndAccount, settings.FailuresPerAccountBeforeSlowing), user.TwoFactorEnabled));
        }
        Users = rows;
    }

    /// <summary>A disabled account is locked out for good (Identity's lockout end at the far future); nothing else locks one.</summary>
    private static bool IsDisabled(StaffUser user) => user.LockoutEnd == DateTimeOffset.MaxValue;

    public async Task<IActionResult> OnPostRolesAsync(string? userId, string[] roles)
    {
        var user = await FindAsync(userId);
        if (user is null || roles.Any(r => !Roles.All.Contains(r)))
        {
            return NotFound();
        }
        if (roles.Length == 0)
        {
            Message = $"{user.Email} needs at least one role; to stop them signing in, disable the account.";
            return RedirectToPage();
        }
        if (user.Id == users.GetUserId(User) && !roles.Contains(Roles.Admin))
        {
            Message = "You cannot remove your own administrator role; ask another administrator.";
            return RedirectToPage();
        }
        var before = await users.GetRolesAsync(user);
        await EnsureRolesExistAsync(roles);
        await users.RemoveFromRolesAsync(user, before.Except(roles));
        await users.AddToRolesAsync(user, roles.Except(before));
        // Ends the member's open sessions (at the next cookie check): they sign in again and get only the new roles.
        await users.UpdateSecurityStampAsync(user);
        officers.Forget();
        await AuditAsync("StaffUser.RoleChanged", user.Id, string.Join(",", before), string.Join(",", roles));
        Message = $"{user.Email}: {string.Join(", ", roles.Select(Roles.Label))}.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostDisableAsync(string? userId)
    {
        var user = await FindAsync(userId);
        if (user is null)
        {
            return NotFound();
        }
        if (user.Id == users.GetUserId(User))
        {
            Message = "You cannot disable your own account.";
            return RedirectToPage();
        }
        await users.SetLockoutEnabledAsync(user, true);
        await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue);
        await users.UpdateSecurityStampAsync(user);
        // Sessions end now, not at the next stamp check: the stored tickets are what the cookies point at.
        await db.Set<StaffSession>().Where(s => s.UserId == user.Id).ExecuteDeleteAsync();
        officers.Forget();
        await AuditAsync("StaffUser.Disabled", user.Id, null, user.Email ?? user.Id);
        Message = $"{user.Email} is disabled: signed out everywhere, and cannot sign in or use an API token.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostEnableAsync(string? userId)
    {
        var user = await FindAsync(userId);
        if (user is null)
        {
            return NotFound();
        }
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        // A fresh start: attempts made while disabled do not slow the member down now.
        if (user.Email is { } address)
        {
            await abuse.RecordAsync(AbuseChannel.SignIn, AbuseLog.Unlocked, actor.Name, address);
        }
        officers.Forget();
        await AuditAsync("StaffUser.Enabled", user.Id, null, user.Email ?? user.Id);
        Message = $"{user.Email} can sign in again.";
        return RedirectToPage();
    }

    /// <summary>Lifts the wait that failed sign-ins put on the account (the failures stay on the abuse page).</summary>
    public async Task<IActionResult> OnPostUnlockAsync(string? userId)
    {
        var user = await FindAsync(userId);
        if (user?.Email is null)
        {
            return NotFound();
        }
        await abuse.RecordAsync(AbuseChannel.SignIn, AbuseLog.Unlocked, actor.Name, user.Email);
        await users.ResetAccessFailedCountAsync(user);
        await AuditAsync("StaffUser.Unlocked", user.Id, null, user.Email);
        Message = $"{user.Email} can try to sign in again at once; earlier failed attempts no longer slow them down.";
        return RedirectToPage();
    }

    /// <summary>
    /// For a member who lost their phone (or whose app may be in someone else's hands): their authenticator key and
    /// recovery codes stop working and they are signed out everywhere at once. Admins and counsel set up a new app at
    /// their next sign-in, as on their first; officers sign in with their password and may set one up again.
    /// </summary>
    public async Task<IActionResult> OnPostResetTwoFactorAsync(string? userId)
    {
        var user = await FindAsync(userId);
        if (user is null)
        {
            return NotFound();
        }
        if (user.Id == users.GetUserId(User))
        {
            Message = "You cannot reset your own two-factor sign-in here; use the two-factor sign-in page, or ask another administrator.";
            return RedirectToPage();
        }
        var wasOn = await users.GetTwoFactorEnabledAsync(user);
        Check(await users.SetTwoFactorEnabledAsync(user, false));
        // A new key (which also changes the security stamp) makes the old app's codes worthless; no recovery codes are left.
        Check(await users.ResetAuthenticatorKeyAsync(user));
        await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 0);
        await db.Set<StaffSession>().Where(s => s.UserId == user.Id).ExecuteDeleteAsync();
        await AuditAsync(StaffAudit.TwoFactorReset, user.Id, null, $"{user.Email}: authenticator app and recovery codes reset (two-factor sign-in was {(wasOn ? "on" : "off")}), signed out everywhere");
        Message = TwoFactor.IsRequiredFor(await users.GetRolesAsync(user))
            ? $"{user.Email}'s authenticator app and recovery codes no longer work, and they were signed out everywhere. They set up a new app at their next sign-in."
            : $"{user.Email}'s authenticator app and recovery codes no longer work, and they were signed out everywhere. They sign in with their password and may set up a new app.";
        return RedirectToPage();
    }

    /// <summary>E-mails the member a link to choose a new password (the same two-hour link as "Forgot your password?").</summary>
    public async Task<IActionResult> OnPostResetAsync(string? userId)
    {
        var user = await FindAsync(userId);
        if (user?.Email is not { } address)
        {
            return NotFound();
        }
        var token = WebEncoders.Base64UrlEncode(System.Text.Encoding.UTF8.GetBytes(await users.GeneratePasswordResetTokenAsync(user)));
        var link = $"{records.Value.PublicBaseUrl.TrimEnd('/')}/account/reset-password?user={Uri.EscapeDataString(user.Id)}&token={token}";
        outbox.Queue(null, MailKind.PasswordReset, address, user.DisplayName, $"Reset your password for {records.Value.DistrictName} records requests",
            $"An administrator ({actor.Name}) asked that you choose a new password for this account.\n\nChoose it here within two hours:\n{link}\n\n" +
            "Until you do, your current password keeps working. If you did not expect this, tell your administrator.\n");
        await db.SaveChangesAsync();
        await AuditAsync("StaffUser.ResetSent", user.Id, null, address);
        Message = $"A password reset link was sent to {address}.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostCreateAsync(string displayName, string email, string[] roles, string password)
    {
        if (roles.Length == 0 || roles.Any(r => !Roles.All.Contains(r)))
        {
            ModelState.AddModelError("", "Choose at least one role.");
            await OnGetAsync();
            return Page();
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
        await EnsureRolesExistAsync(roles);
        await users.AddToRolesAsync(user, roles);
        officers.Forget();
        await AuditAsync("StaffUser.Created", user.Id, null, $"{email} as {string.Join(",", roles)}");
        Message = $"{email} was added as {string.Join(", ", roles.Select(Roles.Label))}.";
        return RedirectToPage();
    }

    /// <summary>A district that never had, say, counsel has no such role yet: the first person given it creates it.</summary>
    private async Task EnsureRolesExistAsync(IEnumerable<string> roles)
    {
        foreach (var role in roles)
        {
            if (!await roleStore.RoleExistsAsync(role))
            {
                await roleStore.CreateAsync(new IdentityRole(role));
            }
        }
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }

    private async Task<StaffUser?> FindAsync(string? userId) => string.IsNullOrEmpty(userId) ? null : await users.FindByIdAsync(userId);

    private async Task AuditAsync(string action, string userId, string? before, string after)
    {
        StaffAudit.Add(db, clock.GetUtcNow(), actor.Name, action, userId, before is null ? null : new { Roles = before }, new { Value = after });
        await db.SaveChangesAsync();
    }
}
