namespace RecordsRequests.Features.Dashboard;

/// <summary>
/// The queue's counts and age chart, shared by every officer for a few seconds. Each figure counts every open request,
/// which at 50,000 requests costs full scans; recomputing them for each page view of each officer is what made the
/// queue slow under load, while figures some seconds old serve a glance equally well. The list itself is always live.
/// </summary>
public sealed class QueueCounts(TimeProvider clock)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(15);

    public sealed record Snapshot(DateTimeOffset ComputedAt, DateOnly Today, int Open, int Overdue, int DueSoon, int Unassigned,
        IReadOnlyList<int> Ages, IReadOnlyDictionary<Requests.RequestStatus, int> ByStatus);

    private Snapshot? _latest;

    /// <summary>One refresh at a time: when the figures expire under load, every page view arriving meanwhile would
    /// otherwise run the same full scans at once.</summary>
    private readonly SemaphoreSlim _refresh = new(1, 1);

    public async Task<Snapshot> GetAsync(DateOnly today, Func<Task<Snapshot>> compute, CancellationToken cancellationToken)
    {
        if (Fresh(_latest, today) is { } latest)
        {
            return latest;
        }
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            // The page view that held the gate has usually just refreshed them.
            if (Fresh(_latest, today) is { } refreshed)
            {
                return refreshed;
            }
            var computed = await compute();
            _latest = computed;
            return computed;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private Snapshot? Fresh(Snapshot? latest, DateOnly today) =>
        latest is not null && latest.Today == today && clock.GetUtcNow() - latest.ComputedAt < MaxAge ? latest : null;
}
