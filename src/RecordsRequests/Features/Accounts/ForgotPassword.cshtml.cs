using System.ComponentModel.DataAnnotations;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using RecordsRequests.Data;
using RecordsRequests.Features.Correspondence;
using RecordsRequests.Features.Redactions;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Accounts;

/// <summary>
/// Starts a password reset. The answer is the same whether or not an account exists, so the page cannot be used to
/// find out who works at the district.
/// </summary>
[AllowAnonymous]
public sealed class ForgotPasswordModel(UserManager<StaffUser> users, Outbox outbox, AppDbContext db,
    IOptions<RecordsOptions> records) : PageModel
{
    public const string Sent = "If an account exists for that address, we have sent it a link to choose a new password. The link works for two hours.";

    [BindProperty]
    [Required(ErrorMessage = "Enter your e-mail address.")]
    [EmailAddress]
    [Display(Name = "E-mail")]
    public string Email { get; set; } = "";

    [TempData]
    public string? Message { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var user = await users.FindByEmailAsync(Email);
        if (user?.Email is { } address)
        {
            var token = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(await users.GeneratePasswordResetTokenAsync(user)));
            var link = $"{records.Value.PublicBaseUrl.TrimEnd('/')}/account/reset-password?user={Uri.EscapeDataString(user.Id)}&token={token}";
            // Through the outbox like every outbound e-mail: queued and committed in one SaveChanges, delivered after.
            outbox.Queue(null, "PasswordReset", address, user.DisplayName, $"Reset your password for {records.Value.DistrictName} records requests",
                $"Someone (hopefully you) asked to reset the password of this account.\n\nChoose a new password here within two hours:\n{link}\n\n" +
                "If you did not ask for this, ignore this message: your password stays as it is.\n");
            await db.SaveChangesAsync(cancellationToken);
        }
        Message = Sent;
        return RedirectToPage();
    }
}
