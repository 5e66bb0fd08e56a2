using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace RecordsRequests.Hosting;

/// <summary>
/// The SMTP listener's limits, per connecting address and overall. Over a limit the listener answers 451, a
/// temporary failure: the sending server keeps the message and retries later, so nothing is lost or silently dropped.
/// </summary>
public sealed class SmtpLimiter(IOptions<RateLimitOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.CreateChained(
        PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.GetFixedWindowLimiter(client, _ => options.Value.SmtpPerClient.ToOptions())),
        PartitionedRateLimiter.Create<string, string>(_ => RateLimitPartition.GetFixedWindowLimiter("overall", _ => options.Value.SmtpOverall.ToOptions())));

    /// <summary>Whether one more message from this address may be taken now.</summary>
    public bool TryAccept(string client)
    {
        using var lease = _limiter.AttemptAcquire(client);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
