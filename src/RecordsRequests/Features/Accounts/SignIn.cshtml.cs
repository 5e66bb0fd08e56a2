using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Accounts;

/// <summary>
/// Password sign-in that tells a stranger nothing: a real and an unknown account take the same work (a password hash
/// is checked either way) and get the same words. Failures never lock the account, which would let anyone shut an
/// officer out; instead one client's failures on one account make that client wait, and many failures on one
/// account from anywhere slow every try down. Every failure is recorded for admins. A right password for an account with
/// two-factor sign-in (or one that must set it up) leads to the code (or setup) page, not yet into the dashboard.
/// </summary>
public sealed class SignInModel(SignInManager<StaffUser> signIn, UserManager<StaffUser> users, IOptions<OidcOptions> oidc,
    IOptions<AccountOptions> accounts, AbuseLog abuse) : PageModel
{
    public const string Incorrect = "The e-mail or password is not correct.";

    /// <summary>A hash of a password nobody knows, checked when the account does not exist so both cases cost the same.</summary>
    private static readonly Lazy<string> UnknownAccountHash = new(() =>
        new PasswordHasher<StaffUser>().HashPassword(new StaffUser(), Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))));

    /// <summary>The district single sign-on button's text, when Authentication:Oidc is configured.</summary>
    public string? SingleSignOn => oidc.Value.IsConfigured ? oidc.Value.DisplayName : null;

    [BindProperty]
    public string Email { get; set; } = "";

    [BindProperty]
    public string Password { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public void OnGet()
    {
    }

    /// <summary>Hands the browser to the district's identity provider; it comes back signed in with a staff cookie.</summary>
    public IActionResult OnPostOidc() => SingleSignOn is null
        ? NotFound()
        : Challenge(new AuthenticationProperties { RedirectUri = Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/dashboard" }, OidcOptions.Scheme);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var settings = accounts.Value;
        var client = RateLimits.ClientOf(HttpContext);
        var account = Email.Trim().ToLowerInvariant();

        // Keyed on what was typed, not on whether it exists, so the answer is the same for real and unknown accounts.
        if (await abuse.CountAsync(AbuseChannel.SignIn, "failed", account, client, settings.FailureWindow) >= settings.FailuresPerClientAndAccount)
        {
            await abuse.RecordAsync(AbuseChannel.SignIn, "throttled", client, account);
            var minutes = (int)Math.Ceiling(settings.FailureWindow.TotalMinutes);
            Response.Headers.RetryAfter = ((int)settings.FailureWindow.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            ModelState.AddModelError("", $"Too many failed attempts from this computer. Please wait up to {minutes} minutes and try again, or reset your password.");
            return Page();
        }
        var failuresEverywhere = await abuse.CountAsync(AbuseChannel.SignIn, "failed", account, null, settings.FailureWindow);
        if (failuresEverywhere >= settings.FailuresPerAccountBeforeSlowing)
        {
            // A guessing campaign spread over many addresses: each try costs seconds, the real user still gets in.
            await Task.Delay(TimeSpan.FromSeconds(Math.Min(10, failuresEverywhere - settings.FailuresPerAccountBeforeSlowing + 1)), cancellationToken);
        }

        var user = account.Length == 0 ? null : await users.FindByEmailAsync(account);
        if (user is null)
        {
            new PasswordHasher<StaffUser>().VerifyHashedPassword(new StaffUser(), UnknownAccountHash.Value, Password);
        }
        else
        {
            var result = await signIn.CheckPasswordSignInAsync(user, Password, lockoutOnFailure: false);
            if (result.Succeeded)
            {
                // Only local return URLs: an attacker's link must not bounce a signed-in officer to another site.
                var returnUrl = Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/dashboard";
                var secondStep = await users.GetTwoFactorEnabledAsync(user) ? TwoFactor.CodePage
                    : TwoFactor.IsRequiredFor(await users.GetRolesAsync(user)) ? TwoFactor.SetupPage
                    : null;
                if (secondStep is not null)
                {
                    await TwoFactor.RememberPasswordStepAsync(HttpContext, user);
                    return LocalRedirect($"{secondStep}?returnUrl={Uri.EscapeDataString(returnUrl)}");
                }
                await signIn.SignInAsync(user, isPersistent: false);
                return LocalRedirect(returnUrl);
            }
        }
        await abuse.RecordAsync(AbuseChannel.SignIn, "failed", client, account);
        ModelState.AddModelError("", Incorrect);
        return Page();
    }
}
