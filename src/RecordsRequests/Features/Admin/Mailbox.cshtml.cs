using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Intake;
using RecordsRequests.Features.Mail;

namespace RecordsRequests.Features.Admin;

/// <summary>The effective mail settings (configuration after every source is applied). Passwords are never shown, only whether one is set.</summary>
[Authorize(Policy = Policies.Admins)]
public sealed class MailboxModel(IOptions<MailOptions> mail, IOptions<IntakeOptions> intake) : PageModel
{
    public MailOptions Mail => mail.Value;
    public IntakeOptions Intake => intake.Value;

    public static string Secret(string? value) => string.IsNullOrEmpty(value) ? "not set" : "set (hidden)";

    public static string Or(string? value, string fallback) => string.IsNullOrWhiteSpace(value) ? fallback : value;
}
