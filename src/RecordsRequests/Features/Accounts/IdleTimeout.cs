using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RecordsRequests.Data;

namespace RecordsRequests.Features.Accounts;

/// <summary>
/// The idle limit in force, read from the database at most every 30 seconds (so every instance follows an admin's
/// change within half a minute without a query on every page).
/// </summary>
public sealed class IdleTimeout(IServiceScopeFactory scopes, IOptions<AccountOptions> accounts, TimeProvider clock)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private (TimeSpan Value, DateTimeOffset ReadAt)? _cached;

    /// <summary>The longest an admin may choose; the cookie itself lives this long, and the server ends idle sessions sooner.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromMinutes(SessionPolicy.MaximumMinutes);

    public TimeSpan Default => accounts.Value.IdleTimeout;

    public async Task<TimeSpan> CurrentAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        if (_cached is { } cached && now - cached.ReadAt < CacheFor)
        {
            return cached.Value;
        }
        await using var scope = scopes.CreateAsyncScope();
        var minutes = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Set<SessionPolicy>().AsNoTracking()
            .Where(p => p.Id == SessionPolicy.SingletonId).Select(p => (int?)p.IdleMinutes).SingleOrDefaultAsync(cancellationToken);
        var value = minutes is { } set ? TimeSpan.FromMinutes(set) : Default;
        _cached = (value, now);
        return value;
    }

    /// <summary>After a change on this instance: read it again at once.</summary>
    public void Forget() => _cached = null;
}
