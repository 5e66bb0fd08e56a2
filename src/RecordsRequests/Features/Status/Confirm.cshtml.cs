using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace RecordsRequests.Features.Status;

/// <summary>
/// Where the confirmation link in our e-mail leads. Opening it shows what it confirms; the button confirms (a link
/// checker that only fetches pages confirms nothing). An unknown link is a plain 404.
/// </summary>
[AllowAnonymous]
public sealed class ConfirmModel(AddressConfirmations confirmations) : PageModel
{
    public ConfirmationView View { get; private set; } = null!;

    public bool JustConfirmed { get; private set; }

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken cancellationToken)
    {
        if (await confirmations.FindAsync(token, cancellationToken) is not { } view)
        {
            return NotFound();
        }
        Response.Headers.CacheControl = "no-store";
        View = view;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string token, CancellationToken cancellationToken)
    {
        if (await confirmations.ConfirmAsync(token, cancellationToken) is not { } view)
        {
            return NotFound();
        }
        Response.Headers.CacheControl = "no-store";
        View = view;
        JustConfirmed = true;
        return Page();
    }
}
