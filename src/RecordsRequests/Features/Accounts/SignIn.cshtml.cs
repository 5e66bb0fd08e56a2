using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace RecordsRequests.Features.Accounts;

public sealed class SignInModel(SignInManager<StaffUser> signIn, UserManager<StaffUser> users, IOptions<OidcOptions> oidc) : PageModel
{
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

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await users.FindByEmailAsync(Email);
        if (user is not null)
        {
            var result = await signIn.PasswordSignInAsync(user, Password, isPersistent: false, lockoutOnFailure: true);
            if (result.Succeeded)
            {
                // Only local return URLs: an attacker's link must not bounce a signed-in officer to another site.
                return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/dashboard");
            }
            if (result.IsLockedOut)
            {
                ModelState.AddModelError("", "Too many failed attempts: this account is locked for 15 minutes.");
                return Page();
            }
        }
        ModelState.AddModelError("", "The e-mail or password is not correct.");
        return Page();
    }
}
