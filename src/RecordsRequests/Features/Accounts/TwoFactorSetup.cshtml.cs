using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using QRCoder;
using RecordsRequests.Data;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Accounts;

/// <summary>
/// Setting up the authenticator app: a QR code (and the same key in letters), a code to prove the app has it, then ten
/// recovery codes shown once. Admins and counsel are sent here by their first sign-in and finish signing in here;
/// officers come from the navigation when they choose to. Someone who only knows the password of an account that
/// already has an app set up is sent to the code page: this page never replaces an app without a full sign-in.
/// </summary>
public sealed class TwoFactorSetupModel(SignInManager<StaffUser> signIn, UserManager<StaffUser> users, IOptions<RecordsOptions> records,
    IOptions<AccountOptions> accounts, AbuseLog abuse, AppDbContext db, TimeProvider clock) : PageModel
{
    public const int RecoveryCodeCount = 10;

    [BindProperty]
    public string Code { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>True while finishing a sign-in (password given, no session yet).</summary>
    public bool Completing { get; private set; }
    public bool Enabled { get; private set; }
    public bool Required { get; private set; }
    public int RecoveryCodesLeft { get; private set; }
    public string Key { get; private set; } = "";
    public string AuthenticatorUri { get; private set; } = "";
    public string QrCodeDataUri { get; private set; } = "";

    /// <summary>Shown once, right after they are made.</summary>
    public IReadOnlyList<string> NewRecoveryCodes { get; private set; } = [];

    [TempData]
    public string? Notice { get; set; }

    public string ContinueTo => Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/dashboard";

    public async Task<IActionResult> OnGetAsync()
    {
        var (user, redirect) = await ResolveAsync();
        if (user is null)
        {
            return redirect!;
        }
        await DescribeAsync(user);
        return Page();
    }

    /// <summary>Checks the first code from the app; on success turns two-factor sign-in on and makes the recovery codes.</summary>
    public async Task<IActionResult> OnPostEnableAsync()
    {
        var (user, redirect) = await ResolveAsync();
        if (user is null)
        {
            return redirect!;
        }
        if (await users.GetTwoFactorEnabledAsync(user))
        {
            return RedirectToPage(new { ReturnUrl });
        }
        var account = user.Email?.ToLowerInvariant();
        var settings = accounts.Value;
        var code = TwoFactor.Normalize(Code);
        if (await abuse.CountAsync(AbuseChannel.SignIn, "code-failed", account, null, settings.FailureWindow) >= settings.FailuresPerClientAndAccount)
        {
            ModelState.AddModelError("", $"Too many wrong codes for this account. Please wait up to {(int)Math.Ceiling(settings.FailureWindow.TotalMinutes)} minutes and try again.");
        }
        else if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code))
        {
            await abuse.RecordAsync(AbuseChannel.SignIn, "code-failed", RateLimits.ClientOf(HttpContext), account);
            ModelState.AddModelError("", "That code is not right. Check that the app shows this site, and type the code it shows now (it changes every 30 seconds).");
        }
        if (!ModelState.IsValid)
        {
            await DescribeAsync(user);
            return Page();
        }
        Check(await users.SetTwoFactorEnabledAsync(user, true));
        NewRecoveryCodes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount))?.ToList() ?? [];
        await AuditAsync(user, StaffAudit.TwoFactorOn, $"two-factor sign-in turned on with an authenticator app; {NewRecoveryCodes.Count} recovery codes made");
        if (Completing)
        {
            await TwoFactor.CompleteAsync(HttpContext, signIn, user);
            Completing = false;
        }
        else
        {
            // Turning it on changes the account's security stamp; the session is renewed so it stays valid.
            await signIn.RefreshSignInAsync(user);
        }
        await DescribeAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostRecoveryCodesAsync()
    {
        var (user, redirect) = await ResolveAsync();
        if (user is null)
        {
            return redirect!;
        }
        if (Completing || !await users.GetTwoFactorEnabledAsync(user))
        {
            return RedirectToPage(new { ReturnUrl });
        }
        NewRecoveryCodes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount))?.ToList() ?? [];
        await AuditAsync(user, StaffAudit.RecoveryCodesReplaced, $"{NewRecoveryCodes.Count} new recovery codes made; the earlier ones no longer work");
        await DescribeAsync(user);
        return Page();
    }

    /// <summary>Officers may turn it off again; admins and counsel may not.</summary>
    public async Task<IActionResult> OnPostDisableAsync()
    {
        var (user, redirect) = await ResolveAsync();
        if (user is null)
        {
            return redirect!;
        }
        if (Completing || TwoFactor.IsRequiredFor(await users.GetRolesAsync(user)))
        {
            return RedirectToPage(new { ReturnUrl });
        }
        Check(await users.SetTwoFactorEnabledAsync(user, false));
        Check(await users.ResetAuthenticatorKeyAsync(user));
        await AuditAsync(user, StaffAudit.TwoFactorOff, "two-factor sign-in turned off by the member; the authenticator key was replaced");
        await signIn.RefreshSignInAsync(user);
        Notice = "Two-factor sign-in is off. Your password alone now signs you in.";
        return RedirectToPage(new { ReturnUrl });
    }

    /// <summary>The signed-in member, or the one finishing a sign-in who has no app set up yet; otherwise where to go instead.</summary>
    private async Task<(StaffUser? User, IActionResult? Redirect)> ResolveAsync()
    {
        if (User.Identity?.IsAuthenticated == true && await users.GetUserAsync(User) is { } member)
        {
            return (member, null);
        }
        var pending = await signIn.GetTwoFactorAuthenticationUserAsync();
        var query = Url.IsLocalUrl(ReturnUrl) ? "?returnUrl=" + Uri.EscapeDataString(ReturnUrl!) : "";
        if (pending is null)
        {
            return (null, LocalRedirect("/account/sign-in" + query));
        }
        if (await users.GetTwoFactorEnabledAsync(pending))
        {
            return (null, LocalRedirect(TwoFactor.CodePage + query));
        }
        Completing = true;
        return (pending, null);
    }

    private async Task DescribeAsync(StaffUser user)
    {
        Enabled = await users.GetTwoFactorEnabledAsync(user);
        Required = TwoFactor.IsRequiredFor(await users.GetRolesAsync(user));
        if (Enabled)
        {
            RecoveryCodesLeft = await users.CountRecoveryCodesAsync(user);
            return;
        }
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            Check(await users.ResetAuthenticatorKeyAsync(user));
            key = await users.GetAuthenticatorKeyAsync(user) ?? throw new InvalidOperationException("No authenticator key after making one.");
            if (!Completing)
            {
                await signIn.RefreshSignInAsync(user);
            }
        }
        Key = key;
        AuthenticatorUri = TwoFactor.AuthenticatorUri($"{records.Value.DistrictName} records", user.Email ?? user.UserName ?? "staff", key);
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(AuthenticatorUri, QRCodeGenerator.ECCLevel.M);
        QrCodeDataUri = "data:image/png;base64," + Convert.ToBase64String(new PngByteQRCode(data).GetGraphic(5));
    }

    /// <summary>The member acts on their own account (also while finishing a sign-in, before they have a session).</summary>
    private async Task AuditAsync(StaffUser user, string action, string what)
    {
        StaffAudit.Add(db, clock.GetUtcNow(), user.Email ?? user.Id, action, user.Id, null, new { Value = what });
        await db.SaveChangesAsync();
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }
}
