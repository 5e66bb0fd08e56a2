using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MimeKit;
using RecordsRequests.Data;
using RecordsRequests.Features.Intake;
using RecordsRequests.Features.Requests;
using RecordsRequests.Features.Status;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Public;

/// <summary>
/// The public request form. Besides the anti-forgery token it carries a one-time ticket, so one captured form cannot
/// be posted again and again, and a field people never see: a program that fills it in gets the same thank-you, but
/// its submission waits on the officers' quarantine list instead of opening a request and mailing an acknowledgement.
/// The per-client and overall limits on posts are in <see cref="RateLimits"/>.
/// </summary>
public sealed class SubmitModel(SubmitRequest submit, StatusLinks links, AppDbContext db, FormTickets tickets, MailIntake intake, AbuseLog abuse,
    MailAnalyzer mail)
    : PageModel
{
    [BindProperty]
    public SubmitRequest.Input Input { get; set; } = new();

    /// <summary>The one-time ticket issued with this copy of the form.</summary>
    [BindProperty]
    public string? Ticket { get; set; }

    /// <summary>The honeypot: hidden from people (and from screen readers), so only a program fills it in.</summary>
    [BindProperty]
    public string? Website { get; set; }

    /// <summary>Shown after a redirect, so a browser refresh does not submit the request twice.</summary>
    [TempData]
    public string? TrackingNumber { get; set; }

    /// <summary>
    /// The status link's token, shown once. A requester who gave no e-mail has no other way to get it. TempData is
    /// kept in a data-protected cookie, so the token never appears in a URL or a log before the requester sees it.
    /// </summary>
    [TempData]
    public string? StatusToken { get; set; }

    /// <summary>Set when a submission was taken but is waiting for an officer, so no tracking number is shown yet.</summary>
    [TempData]
    public bool? HeldForReview { get; set; }

    public string? StatusPath => StatusToken is null ? null : StatusLinks.Path(StatusToken);

    public void OnGet() => Ticket = tickets.Issue();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var client = RateLimits.ClientOf(HttpContext);
        switch (await tickets.RedeemAsync(Ticket, cancellationToken))
        {
            case TicketCheck.Replayed:
                await abuse.RecordAsync(AbuseChannel.PublicForm, "replayed", client);
                Response.StatusCode = StatusCodes.Status409Conflict;
                ModelState.AddModelError("", "This form was already sent. Nothing new was saved. To send another request, use the fresh form below.");
                Ticket = tickets.Issue();
                return Page();
            case TicketCheck.Expired:
                ModelState.AddModelError("", "This form was open too long or was not loaded from our site. Nothing was saved yet: please check your text and send it again.");
                Ticket = tickets.Issue();
                return Page();
        }
        if (string.IsNullOrWhiteSpace(Input.Email) && string.IsNullOrWhiteSpace(Input.PostalAddress))
        {
            ModelState.AddModelError(nameof(Input.Email), "Give an e-mail or a postal address so the district can respond.");
        }
        if (!string.IsNullOrWhiteSpace(Input.Email) && ReplyAddressProblem(Input.Email) is { } problem)
        {
            ModelState.AddModelError(nameof(Input.Email), problem);
        }
        if (!ModelState.IsValid)
        {
            Ticket = tickets.Issue();
            return Page();
        }
        if (!string.IsNullOrEmpty(Website))
        {
            await abuse.RecordAsync(AbuseChannel.PublicForm, "honeypot", client);
            await intake.HoldAsync(AsMessage(Input, client), IntakeSource.WebForm, $"web form from {client}",
                "web-form submission that filled in the hidden field people never see (probably a program); no acknowledgement sent. Open it as a request if a person wrote it",
                cancellationToken);
            HeldForReview = true;
            return RedirectToPage();
        }
        var request = await submit.HandleAsync(Input, RequestChannel.WebForm, CitedLaw.None, cancellationToken);
        StatusToken = links.Issue(request.Id, "web-form");
        await db.SaveChangesAsync(cancellationToken);
        TrackingNumber = request.TrackingNumber;
        return RedirectToPage();
    }

    /// <summary>The submission as a plain e-mail, so a held one is stored raw-first and opened like any message.</summary>
    /// <summary>
    /// Our acknowledgement and status link go to this address, so it must be one a reply can reach, and not the
    /// district's own: a stranger could otherwise make the district write to itself, or open requests in its name.
    /// </summary>
    private string? ReplyAddressProblem(string email)
    {
        if (!MailboxAddress.TryParse(email.Trim(), out var mailbox) || mailbox.Domain is not { Length: > 0 } domain
            || !domain.Contains('.', StringComparison.Ordinal) || domain.StartsWith('.') || domain.EndsWith('.'))
        {
            return "Give a complete e-mail address, such as name@example.org, so our reply reaches you.";
        }
        return mail.IsDistrictAddress(mailbox.Address)
            ? "That is one of the district's own addresses. Give your own e-mail address, or a postal address, so our reply reaches you."
            : null;
    }

    private static byte[] AsMessage(SubmitRequest.Input input, string client)
    {
        var message = new MimeMessage { Subject = "Public records request (web form)", Date = DateTimeOffset.UtcNow };
        if (!string.IsNullOrWhiteSpace(input.Email) && MailboxAddress.TryParse(input.Email, out var email))
        {
            message.From.Add(new MailboxAddress(input.Name?.Trim() ?? "", email.Address));
        }
        else
        {
            message.From.Add(new MailboxAddress(input.Name?.Trim() ?? "", "no-email@web-form.invalid"));
        }
        message.Headers.Add("X-Web-Form-Client", client);
        message.Body = new TextPart("plain")
        {
            Text = input.Description + (string.IsNullOrWhiteSpace(input.PostalAddress) ? "" : $"\n\nPostal address:\n{input.PostalAddress}"),
        };
        using var buffer = new MemoryStream();
        message.WriteTo(buffer);
        return buffer.ToArray();
    }
}
