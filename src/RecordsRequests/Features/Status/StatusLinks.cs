using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RecordsRequests.Data;
using RecordsRequests.Features.Shared;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Status;

/// <summary>Hands out status links and resolves them back to their request.</summary>
public sealed class StatusLinks(AppDbContext db, TimeProvider clock, IOptions<RecordsOptions> options)
{
    public const string RoutePrefix = "/status/";

    /// <summary>Issues a new link on the caller's unit of work and returns its token; it works once the caller saves.</summary>
    public string Issue(Guid requestId, string issuedFor)
    {
        var token = SecretLinkToken.Create();
        db.Add(StatusLink.Create(requestId, SecretLinkToken.Hash(token), issuedFor, clock.GetUtcNow()));
        return token;
    }

    /// <summary>The absolute address a requester can open from an e-mail.</summary>
    public string AbsoluteUrl(string token) => options.Value.PublicBaseUrl.TrimEnd('/') + RoutePrefix + token;

    public static string Path(string token) => RoutePrefix + token;

    /// <summary>The request a token opens, or null for an unknown or malformed token.</summary>
    public async Task<Guid?> RequestOfAsync(string? token, CancellationToken cancellationToken)
    {
        if (!SecretLinkToken.IsPlausible(token))
        {
            return null;
        }
        var hash = SecretLinkToken.Hash(token!);
        return await db.Set<StatusLink>().AsNoTracking().Where(l => l.TokenHash == hash).Select(l => (Guid?)l.RequestId).SingleOrDefaultAsync(cancellationToken);
    }
}
