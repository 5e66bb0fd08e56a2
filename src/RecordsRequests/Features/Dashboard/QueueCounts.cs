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

    public async Task<Snapshot> GetAsync(DateOnly today, Func<Task<Snapshot>> compute)
    {
        var latest = _latest;
        if (latest is not null && latest.Today == today && clock.GetUtcNow() - latest.ComputedAt < MaxAge)
        {
            return latest;
        }
        // Two officers arriving together may both compute; the later result simply wins.
        latest = await compute();
        _latest = latest;
        return latest;
    }
}

public static class DashboardModule
{
    public static IServiceCollection AddDashboard(this IServiceCollection services) => services.AddSingleton<QueueCounts>();
}
