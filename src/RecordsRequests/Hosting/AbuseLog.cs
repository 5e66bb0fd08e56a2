using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;

namespace RecordsRequests.Hosting;

/// <summary>Writes and counts abuse events in their own short unit of work, so a rejected request still leaves its trace.</summary>
public sealed class AbuseLog(IServiceScopeFactory scopes, TimeProvider clock, ILogger<AbuseLog> log)
{
    /// <summary>An admin lifted the sign-in slowdown of an account: failures before it no longer count.</summary>
    public const string Unlocked = "unlocked";

    public async Task RecordAsync(AbuseChannel channel, string outcome, string? client, string? account = null)
    {
        log.LogWarning("{Channel} {Outcome} for client {Client} account {Account}", channel, outcome, client, account);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.Add(AbuseEvent.Record(channel, outcome, client, account, clock.GetUtcNow()));
            await db.SaveChangesAsync();
        }
        catch (Exception e) when (e is DbUpdateException or Npgsql.NpgsqlException)
        {
            // The log line above already holds it; a full database must not turn a refusal into an error page.
            log.LogError(e, "Could not record a {Channel} event", channel);
        }
    }

    /// <summary>How many events of this kind since the given instant, for one account and optionally one client.</summary>
    public async Task<int> CountAsync(AbuseChannel channel, string outcome, string? account, string? client, TimeSpan window)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var since = clock.GetUtcNow() - window;
        var normalized = account?.Trim().ToLowerInvariant();
        if (outcome != Unlocked && await db.Set<AbuseEvent>().Where(e => e.Channel == channel && e.Outcome == Unlocked && e.Account == normalized)
                .MaxAsync(e => (DateTimeOffset?)e.At) is { } unlockedAt && unlockedAt > since)
        {
            since = unlockedAt;
        }
        var query = db.Set<AbuseEvent>().Where(e => e.Channel == channel && e.Outcome == outcome && e.At >= since && e.Account == normalized);
        if (client is not null)
        {
            query = query.Where(e => e.Client == client);
        }
        return await query.CountAsync();
    }
}
