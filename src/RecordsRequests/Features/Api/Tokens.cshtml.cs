using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;

namespace RecordsRequests.Features.Api;

[Authorize(Policy = Policies.Staff)]
public sealed class TokensModel(AppDbContext db, TimeProvider clock) : PageModel
{
    public IReadOnlyList<ApiToken> Tokens { get; private set; } = [];

    /// <summary>The secret of a token just created, shown once and never stored.</summary>
    public string? NewSecret { get; private set; }

    private string UserId => User.FindFirstValue(ClaimTypes.NameIdentifier)!;

    public async Task OnGetAsync() => Tokens = await MineAsync();

    public async Task<IActionResult> OnPostCreateAsync(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return BadRequest();
        }
        var (token, secret) = ApiToken.Issue(UserId, name.Trim(), clock.GetUtcNow());
        db.Add(token);
        await db.SaveChangesAsync();
        NewSecret = secret;
        Tokens = await MineAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid id)
    {
        var token = await db.Set<ApiToken>().SingleOrDefaultAsync(t => t.Id == id && t.UserId == UserId);
        if (token is null)
        {
            return NotFound();
        }
        token.Revoke(clock.GetUtcNow());
        await db.SaveChangesAsync();
        return RedirectToPage();
    }

    private Task<List<ApiToken>> MineAsync() =>
        db.Set<ApiToken>().AsNoTracking().Where(t => t.UserId == UserId).OrderByDescending(t => t.CreatedAt).ToListAsync();
}
