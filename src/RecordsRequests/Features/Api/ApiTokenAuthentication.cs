using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;

namespace RecordsRequests.Features.Api;

/// <summary>
/// <c>Authorization: Bearer rr_…</c>. The token stands for its staff member, with that member's current roles, so
/// a role change or a locked account takes effect on the next call.
/// </summary>
public sealed class ApiTokenAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    AppDbContext db, UserManager<StaffUser> users, IUserClaimsPrincipalFactory<StaffUser> principals, TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }
        var hash = ApiToken.HashOf(header["Bearer ".Length..].Trim());
        var token = await db.Set<ApiToken>().AsNoTracking().SingleOrDefaultAsync(t => t.TokenHash == hash && t.RevokedAt == null);
        if (token is null)
        {
            return AuthenticateResult.Fail("Unknown or revoked API token.");
        }
        var user = await users.FindByIdAsync(token.UserId);
        if (user is null || (user.LockoutEnd is { } end && end > clock.GetUtcNow()))
        {
            return AuthenticateResult.Fail("The token's account is locked or gone.");
        }
        var principal = await principals.CreateAsync(user);
        var identity = new ClaimsIdentity(principal.Claims, SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}
