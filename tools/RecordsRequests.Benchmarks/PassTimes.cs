using System.Diagnostics;

namespace RecordsRequests.Benchmarks;

/// <summary>
/// Sums, by name, the durations of the passes the product traces (<see cref="RecordsRequests.Hosting.Tracing"/>) while
/// <see cref="Recording"/> is on: where the time of a detection or a search goes, read from outside the product code.
/// </summary>
internal sealed class PassTimes : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly Dictionary<string, long> _ticks = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public PassTimes(string sourceName)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == sourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                if (!Recording)
                {
                    return;
                }
                lock (_gate)
                {
                    _ticks[activity.OperationName] = _ticks.GetValueOrDefault(activity.OperationName) + activity.Duration.Ticks;
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public bool Recording { get; set; } = true;

    public TimeSpan this[string pass]
    {
        get
        {
            lock (_gate)
            {
                return TimeSpan.FromTicks(_ticks.GetValueOrDefault(pass));
            }
        }
    }

    /// <summary>Each pass seen, in the order first seen.</summary>
    public IReadOnlyList<(string Pass, TimeSpan Elapsed)> Passes
    {
        get
        {
            lock (_gate)
            {
                return _ticks.Select(p => (p.Key, TimeSpan.FromTicks(p.Value))).ToList();
            }
        }
    }

    public void Dispose() => _listener.Dispose();
}
