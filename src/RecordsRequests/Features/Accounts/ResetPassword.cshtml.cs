using System.ComponentModel.DataAnnotations;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;

namespace RecordsRequests.Features.Accounts;

/// <summary>Sets a new password from a reset link. The token is checked before the form is shown and again on save.</summary>
[AllowAnonymous]
public sealed class ResetPasswordModel(UserManager<StaffUser> users) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "user")]
    public string? UserId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    [BindProperty]
    [Required(ErrorMessage = "Choose a new password.")]
    [DataType(DataType.Password)]
    [Display(Name = "New password")]
    public string NewPassword { get; set; } = "";

    [BindProperty]
    [Compare(nameof(NewPassword), ErrorMessage = "The two passwords differ.")]
    [DataType(DataType.Password)]
    [Display(Name = "New password again")]
    public string ConfirmPassword { get; set; } = "";

    public bool LinkIsValid { get; private set; }

    public async Task OnGetAsync() => LinkIsValid = await FindAsync() is not null;

    public async Task<IActionResult> OnPostAsync()
    {
        var found = await FindAsync();
        LinkIsValid = found is not null;
        if (found is not { } valid || !ModelState.IsValid)
        {
            return Page();
        }
        var result = await users.ResetPasswordAsync(valid.User, valid.Token, NewPassword);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError(nameof(NewPassword), error.Description);
            }
            return Page();
        }
        TempData["SignInMessage"] = "Your password is changed. Sign in with the new one.";
        return Redirect("/account/sign-in");
    }

    /// <summary>The user and decoded token when the link is genuine, unused and unexpired; null otherwise, whatever the reason.</summary>
    private async Task<(StaffUser User, string Token)?> FindAsync()
    {
        if (string.IsNullOrEmpty(UserId) || string.IsNullOrEmpty(Token) || Token.Length > 2000 || await users.FindByIdAsync(UserId) is not { } user)
        {
            return null;
        }
        string token;
        try
        {
            token = Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(Token));
        }
        catch (FormatException)
        {
            return null;
        }
        var valid = await users.VerifyUserTokenAsync(user, users.Options.Tokens.PasswordResetTokenProvider, UserManager<StaffUser>.ResetPasswordTokenPurpose, token);
        return valid ? (user, token) : null;
    }
}
