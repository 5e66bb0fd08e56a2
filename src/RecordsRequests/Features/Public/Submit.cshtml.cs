using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using RecordsRequests.Data;
using RecordsRequests.Features.Requests;
using RecordsRequests.Features.Status;

namespace RecordsRequests.Features.Public;

public sealed class SubmitModel(SubmitRequest submit, StatusLinks links, AppDbContext db) : PageModel
{
    [BindProperty]
    public SubmitRequest.Input Input { get; set; } = new();

    /// <summary>Shown after a redirect, so a browser refresh does not submit the request twice.</summary>
    [TempData]
    public string? TrackingNumber { get; set; }

    /// <summary>
    /// The status link's token, shown once. A requester who gave no e-mail has no other way to get it. TempData is
    /// kept in a data-protected cookie, so the token never appears in a URL or a log before the requester sees it.
    /// </summary>
    [TempData]
    public string? StatusToken { get; set; }

    public string? StatusPath => StatusToken is null ? null : StatusLinks.Path(StatusToken);

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(Input.Email) && string.IsNullOrWhiteSpace(Input.PostalAddress))
        {
            ModelState.AddModelError(nameof(Input.Email), "Give an e-mail or a postal address so the district can respond.");
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var request = await submit.HandleAsync(Input, RequestChannel.WebForm, CitedLaw.None, cancellationToken);
        StatusToken = links.Stage(request.Id, "web-form");
        await db.SaveChangesAsync(cancellationToken);
        TrackingNumber = request.TrackingNumber;
        return RedirectToPage();
    }
}
