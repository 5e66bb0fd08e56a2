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
