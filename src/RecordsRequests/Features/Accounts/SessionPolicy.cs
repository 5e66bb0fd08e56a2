using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;
using RecordsRequests.Data;
using RecordsRequests.Features.Audit;

namespace RecordsRequests.Features.Accounts;

/// <summary>
/// How long a staff session may sit unused before it ends, as an admin set it on the sessions page (one row; none means
/// the configured default, <see cref="AccountOptions.IdleTimeout"/>). Every change is audited.
/// </summary>
public sealed class SessionPolicy : IAudited
{
    public const int SingletonId = 1;
    public const int MinimumMinutes = 5;
    public const int MaximumMinutes = 720;

    public int Id { get; private set; } = SingletonId;
    public int IdleMinutes { get; private set; }
    public string ChangedBy { get; private set; } = "";
    public DateTimeOffset ChangedAt { get; private set; }

    private SessionPolicy() { }

    public static SessionPolicy Create(int idleMinutes, string changedBy, DateTimeOffset now)
    {
        var policy = new SessionPolicy();
        policy.Change(idleMinutes, changedBy, now);
        return policy;
    }

    public void Change(int idleMinutes, string changedBy, DateTimeOffset now)
    {
        if (idleMinutes is < MinimumMinutes or > MaximumMinutes)
        {
            throw new DomainException($"Choose between {MinimumMinutes} minutes and {MaximumMinutes / 60} hours.");
        }
        IdleMinutes = idleMinutes;
        ChangedBy = changedBy;
        ChangedAt = now.ToUniversalTime();
    }
}

internal sealed class SessionPolicyConfiguration : IEntityTypeConfiguration<SessionPolicy>
{
    public void Configure(EntityTypeBuilder<SessionPolicy> builder)
    {
        builder.ToTable("session_policy", t => t.HasCheckConstraint("ck_session_policy_single_row", "id = 1"));
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.ChangedBy).HasMaxLength(320);
    }
}

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
