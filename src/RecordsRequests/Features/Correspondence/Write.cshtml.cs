using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Mail;
using RecordsRequests.Features.Requests;

namespace RecordsRequests.Features.Correspondence;

/// <summary>An officer answers the requester from a template; the letter goes out through the outbox and onto the timeline.</summary>
[Authorize(Policy = Policies.Officers)]
public sealed class WriteModel(AppDbContext db, LetterTemplates templates, Outbox outbox) : PageModel
{
    public Request Item { get; private set; } = null!;

    [BindProperty(SupportsGet = true)]
    public LetterKind Template { get; set; } = LetterKind.Clarification;

    [BindProperty, Required, StringLength(1000)]
    public string Subject { get; set; } = "";

    [BindProperty, Required, StringLength(50000)]
    public string Body { get; set; } = "";

    public async Task<IActionResult> OnGetAsync(string trackingNumber, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(trackingNumber, cancellationToken))
        {
            return NotFound();
        }
        var draft = await templates.DraftAsync(Template, Item, cancellationToken, User.Identity?.Name);
        Subject = draft.Subject;
        Body = draft.Body;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string trackingNumber, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(trackingNumber, cancellationToken))
        {
            return NotFound();
        }
        if (LetterTemplates.HasPlaceholders(Body) || LetterTemplates.HasPlaceholders(Subject))
        {
            ModelState.AddModelError(nameof(Body), "Replace every [[…]] placeholder before sending.");
        }
        if (Item.Requester.Email is null)
        {
            ModelState.AddModelError(string.Empty, "This requester gave no e-mail address; send the letter by post.");
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        outbox.Queue(Item.Id, LetterKinds.MailKindOf(Template), Item.Requester.Email!, Item.Requester.Name, Subject, Body,
            inReplyTo: await outbox.ReplyTargetAsync(Item.Id, cancellationToken));
        await db.SaveChangesAsync(cancellationToken);
        return Redirect($"/requests/{Item.TrackingNumber}");
    }

    private async Task<bool> LoadAsync(string trackingNumber, CancellationToken cancellationToken)
    {
        var request = await db.Requests.Include(r => r.Requester).SingleOrDefaultAsync(r => r.TrackingNumber == trackingNumber, cancellationToken);
        if (request is null)
        {
            return false;
        }
        Item = request;
        return true;
    }
}
