using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace RecordsRequests.Features.Status;

/// <summary>
/// The requester's status page. The secret link is the only credential: no sign-in, and an unknown token is a plain
/// 404 that says nothing about whether a request exists.
/// </summary>
[AllowAnonymous]
public sealed class IndexModel(StatusLinks links, RequesterStatus status) : PageModel
{
    public StatusView View { get; private set; } = null!;
    public string Token { get; private set; } = "";
    public RequesterStatus Format => status;

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
        return Page();
    }

    public string FileLink(StatusFile file) => $"{StatusLinks.Path(Token)}/files/{file.Id}";
}
