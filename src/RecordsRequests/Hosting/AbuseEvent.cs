namespace RecordsRequests.Hosting;

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
