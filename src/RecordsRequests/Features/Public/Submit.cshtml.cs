using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using RecordsRequests.Features.Requests;

namespace RecordsRequests.Features.Public;

public sealed class SubmitModel(SubmitRequest submit) : PageModel
{
    [BindProperty]
    public SubmitRequest.Input Input { get; set; } = new();

    /// <summary>Shown after a redirect, so a browser refresh does not submit the request twice.</summary>
    [TempData]
    public string? TrackingNumber { get; set; }

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
        TrackingNumber = request.TrackingNumber;
        return RedirectToPage();
    }
}
