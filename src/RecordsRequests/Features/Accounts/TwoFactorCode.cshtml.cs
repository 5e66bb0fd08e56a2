using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Accounts;

/// <summary>
/// The second step of a sign-in: the code from the authenticator app, or one of the recovery codes. Reached only with
/// the short-lived cookie the password step leaves. Wrong codes count against the account (from any computer), so the
/// six digits cannot be guessed by trying them all; nothing is locked.
/// </summary>
public sealed class TwoFactorCodeModel(SignInManager<StaffUser> signIn, UserManager<StaffUser> users, IOptions<AccountOptions> accounts, AbuseLog abuse)
    : PageModel
{
    public const string WrongCode = "That code is not right. Use the code your app shows now (it changes every 30 seconds, and each code works once), or a recovery code you have not used.";

    [BindProperty]
    public string Code { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (User.Identity?.IsAuthenticated == true)
        {
            return LocalRedirect("/dashboard");
        }
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null)
        {
            return StartAgain();
        }
        return await users.GetTwoFactorEnabledAsync(user) ? Page() : LocalRedirect(TwoFactor.SetupPage + ReturnQuery);
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (User.Identity?.IsAuthenticated == true)
        {
            return LocalRedirect("/dashboard");
        }
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null)
        {
            return StartAgain();
        }
        var account = user.Email?.ToLowerInvariant();
        var settings = accounts.Value;
        if (await abuse.CountAsync(AbuseChannel.SignIn, "code-failed", account, null, settings.FailureWindow) >= settings.FailuresPerClientAndAccount)
        {
            await abuse.RecordAsync(AbuseChannel.SignIn, "code-throttled", RateLimits.ClientOf(HttpContext), account);
            Response.Headers.RetryAfter = ((int)settings.FailureWindow.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            ModelState.AddModelError("", $"Too many wrong codes for this account. Please wait up to {(int)Math.Ceiling(settings.FailureWindow.TotalMinutes)} minutes and try again.");
            return Page();
        }
        var code = TwoFactor.Normalize(Code);
        var accepted = code.Length == 6 && code.All(char.IsAsciiDigit)
            ? await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code)
            : code.Length > 0 && (await users.RedeemTwoFactorRecoveryCodeAsync(user, code)).Succeeded;
        if (!accepted)
        {
            await abuse.RecordAsync(AbuseChannel.SignIn, "code-failed", RateLimits.ClientOf(HttpContext), account);
            ModelState.AddModelError("", WrongCode);
            return Page();
        }
        await TwoFactor.CompleteAsync(HttpContext, signIn, user);
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/dashboard");
    }

    private string ReturnQuery => Url.IsLocalUrl(ReturnUrl) ? "?returnUrl=" + Uri.EscapeDataString(ReturnUrl!) : "";

    private IActionResult StartAgain()
    {
        TempData["SignInMessage"] = "Please sign in again: the step after your password was not finished within a few minutes.";
        return LocalRedirect("/account/sign-in" + ReturnQuery);
    }
}
