using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RecordsRequests.Data;

namespace RecordsRequests.Hosting;

/// <summary>The public doors whose abuse is limited and recorded.</summary>
public enum AbuseChannel
{
    SignIn,
    PasswordReset,
    PublicForm,
    Smtp,
}

/// <summary>
/// One event at a public door that admins should be able to see: a failed sign-in, a throttled or refused attempt, a
/// password-reset request. Failed sign-ins are also what the sign-in throttle counts, so every instance of the app
/// agrees on them. Nothing a limit rejects goes unrecorded.
/// </summary>
public sealed class AbuseEvent
{
    public long Id { get; private set; }
    public DateTimeOffset At { get; private set; }
    public AbuseChannel Channel { get; private set; }

    /// <summary>What happened, in a word: failed, throttled, replayed, honeypot, sent, suppressed.</summary>
    public string Outcome { get; private set; } = "";

    /// <summary>The client address, as the configured proxy reports it.</summary>
    public string Client { get; private set; } = "";

    /// <summary>The account name typed (lower-cased), when there is one; it need not exist.</summary>
    public string? Account { get; private set; }

    private AbuseEvent() { }

    public static AbuseEvent Record(AbuseChannel channel, string outcome, string? client, string? account, DateTimeOffset now) => new()
    {
        At = now.ToUniversalTime(),
        Channel = channel,
        Outcome = Clip(outcome, 30)!,
        Client = Clip(client, 100) ?? "unknown",
        Account = Clip(account?.Trim().ToLowerInvariant(), 320),
    };

    private static string? Clip(string? value, int length) => value is null ? null : value.Length <= length ? value : value[..length];
}

internal sealed class AbuseEventConfiguration : IEntityTypeConfiguration<AbuseEvent>
{
    public void Configure(EntityTypeBuilder<AbuseEvent> builder)
    {
        builder.ToTable("abuse_events");
        builder.Property(e => e.Channel).HasConversion<string>().HasMaxLength(20);
        builder.Property(e => e.Outcome).HasMaxLength(30);
        builder.Property(e => e.Client).HasMaxLength(100);
        builder.Property(e => e.Account).HasMaxLength(320);
        builder.HasIndex(e => new { e.Channel, e.Account, e.At });
        builder.HasIndex(e => new { e.Channel, e.Client, e.At });
        builder.HasIndex(e => e.At);
    }
}

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
