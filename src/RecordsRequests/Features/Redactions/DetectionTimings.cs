using System.Diagnostics;

namespace RecordsRequests.Features.Redactions;

/// <summary>
/// Wall time per detector pass, summed over many documents, for <c>ops/records redact bench --breakdown</c>: it shows
/// which pass to make faster. Not thread-safe; one per thread.
/// </summary>
public sealed class DetectionTimings
{
    private readonly Dictionary<string, long> _ticks = new(StringComparer.Ordinal);
    private long _last;

    public void Start() => _last = Stopwatch.GetTimestamp();

    /// <summary>Charges the time since the previous lap (or <see cref="Start"/>) to <paramref name="pass"/>.</summary>
    public void Lap(string pass)
    {
        var now = Stopwatch.GetTimestamp();
        _ticks[pass] = _ticks.GetValueOrDefault(pass) + (now - _last);
        _last = now;
    }

    public IReadOnlyList<(string Pass, TimeSpan Elapsed)> Passes =>
        _ticks.Select(p => (p.Key, Stopwatch.GetElapsedTime(0, p.Value))).ToList();
}
