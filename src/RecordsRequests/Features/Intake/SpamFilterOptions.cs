using System.ComponentModel.DataAnnotations;

namespace RecordsRequests.Features.Intake;

/// <summary>
/// The SpamAssassin daemon (spamd) that scores mail the SMTP listener receives directly (section <c>Intake:Spam</c>).
/// ops/run starts one on loopback with local rules only; the tests start a throwaway one.
/// </summary>
public sealed class SpamFilterOptions
{
    /// <summary>Where spamd listens; empty means no spam filter, and listener mail is taken in marked "not scored".</summary>
    public string? Host { get; set; } = "127.0.0.1";

    [Range(1, 65535)]
    public int Port { get; set; } = 783;

    /// <summary>Mail scoring this many points or more is held on the spam list (SpamAssassin's own default, required_score 5.0).</summary>
    [Range(0.1, 1000.0)]
    public double HoldAtScore { get; set; } = 5.0;

    /// <summary>How long one message may take to score; after that it is taken in "not scored" rather than keep the sender waiting.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan TimeLimit { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Larger messages are not sent to the filter (spamc's own limit is 500 KB: spam is small, and scoring a large message is slow).</summary>
    [Range(1024, 1L << 30)]
    public long MaxMessageBytes { get; set; } = 512 * 1024;
}
