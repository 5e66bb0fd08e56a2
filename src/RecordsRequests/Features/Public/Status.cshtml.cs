using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using RecordsRequests.Features.Status;

namespace RecordsRequests.Features.Public;

/// <summary>
/// The requester's status page. The secret link is the only credential: no sign-in, and an unknown token is a plain
/// 404 that says nothing about whether a request exists.
/// </summary>
[AllowAnonymous]
public sealed class StatusModel(StatusLinks links, RequesterStatus status, AddressConfirmations confirmations, TimeProvider clock) : PageModel
{
    public StatusView View { get; private set; } = null!;
    public string Token { get; private set; } = "";
    public RequesterStatus Format => status;

    /// <summary>Whether the requester's e-mail address is confirmed; null when they gave none.</summary>
    public bool? AddressConfirmed { get; private set; }

    [TempData]
    public string? AddressNotice { get; set; }

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken cancellationToken)
    {
        var requestId = await links.RequestOfAsync(token, cancellationToken);
        var view = requestId is { } id ? await status.LoadAsync(id, cancellationToken) : null;
        if (view is null)
        {
            return NotFound();
        }
        // The page shows private correspondence: no shared or browser cache may keep it.
        Response.Headers.CacheControl = "no-store";
        Token = token;
        View = view;
        AddressConfirmed = await confirmations.IsConfirmedAsync(requestId!.Value, cancellationToken);
        return Page();
    }

    /// <summary>Sends a new confirmation link to the request's own address (never to one typed here).</summary>
    public async Task<IActionResult> OnPostConfirmAddressAsync(string token, CancellationToken cancellationToken)
    {
        if (await links.RequestOfAsync(token, cancellationToken) is not { } requestId)
        {
            return NotFound();
        }
        var (sent, lastSentAt) = await confirmations.ResendAsync(requestId, cancellationToken);
        AddressNotice = sent
            ? "We have sent a new confirmation link to your e-mail address. Open it from that mailbox."
            : lastSentAt is { } last
                ? $"A confirmation link was sent {Math.Max(1, (int)Math.Round((clock.GetUtcNow() - last).TotalMinutes))} minute(s) ago. Please look for it (also in your spam folder) before asking again."
                : "There is no e-mail address on this request to confirm.";
        return Redirect(StatusLinks.Path(token));
    }

    public string FileLink(StatusFile file) => $"{StatusLinks.Path(Token)}/files/{file.Id}";
}
