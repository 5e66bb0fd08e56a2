using System.ComponentModel.DataAnnotations;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using RecordsRequests.Data;
using RecordsRequests.Features.Mail;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Accounts;

/// <summary>
/// Starts a password reset. The answer, and the work behind it, are the same whether or not an account exists, so the
/// page cannot be used to find out who works at the district. One account gets a few reset e-mails an hour at most,
/// so the page cannot be used to flood a colleague's mailbox; every request is recorded for admins.
/// </summary>
[AllowAnonymous]
public sealed class ForgotPasswordModel(UserManager<StaffUser> users, Outbox outbox, AppDbContext db,
    IOptions<RecordsOptions> records, IOptions<AccountOptions> accounts, AbuseLog abuse) : PageModel
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
        var account = Email.Trim().ToLowerInvariant();
        var client = RateLimits.ClientOf(HttpContext);
        var sentLastHour = await abuse.CountAsync(AbuseChannel.PasswordReset, "sent", account, null, TimeSpan.FromHours(1));
        var user = await users.FindByEmailAsync(account);
        // A token is made for an unknown account too (and thrown away), so both answers cost the same.
        var token = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(await users.GeneratePasswordResetTokenAsync(
            user ?? new StaffUser { Id = Guid.Empty.ToString(), SecurityStamp = Guid.Empty.ToString() })));
        var outcome = user is null ? "unknown" : sentLastHour >= accounts.Value.ResetMailsPerAccountPerHour ? "suppressed" : "sent";
        await abuse.RecordAsync(AbuseChannel.PasswordReset, outcome, client, account);
        if (outcome == "sent" && user?.Email is { } address)
        {
            var link = $"{records.Value.PublicBaseUrl.TrimEnd('/')}/account/reset-password?user={Uri.EscapeDataString(user.Id)}&token={token}";
            // Through the outbox like every outbound e-mail: queued and committed in one SaveChanges, delivered after.
            outbox.Queue(null, MailKind.PasswordReset, address, user.DisplayName, $"Reset your password for {records.Value.DistrictName} records requests",
                $"Someone (hopefully you) asked to reset the password of this account.\n\nChoose a new password here within two hours:\n{link}\n\n" +
                "If you did not ask for this, ignore this message: your password stays as it is.\n");
            await db.SaveChangesAsync(cancellationToken);
        }
        Message = Sent;
        return RedirectToPage();
    }
}
