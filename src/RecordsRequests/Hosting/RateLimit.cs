using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;

namespace RecordsRequests.Hosting;

/// <summary>One limit: so many permits per window.</summary>
public sealed class RateLimit
{
    [Range(1, 1_000_000)]
    public int Permits { get; set; }

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; }

    public static RateLimit Of(int permits, TimeSpan window) => new() { Permits = permits, Window = window };

    public FixedWindowRateLimiterOptions ToOptions() => new() { PermitLimit = Permits, Window = Window, QueueLimit = 0, AutoReplenishment = true };
}
