using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using RecordsRequests.Features.Documents;
using RecordsRequests.Hosting;

namespace RecordsRequests.IntegrationTests.Infrastructure;

/// <summary>
/// The reset between a lane's tests: what one test left must not reach the next. A background job is state too: one a
/// test queued and did not wait for would otherwise run in the next test, against rows the reset removed (seen once as
/// a foreign-key error on document_pages, from a record's pages job).
/// </summary>
[Collection(Lanes.Engine)]
public sealed class TestDatabaseResetTests(TestDatabase database) : IAsyncLifetime
{
    public Task InitializeAsync() => database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Reset_RemovesQueuedScheduledAndFinishedJobs_AndKeepsTheRecurringOnes()
    {
        await using var services = database.BuildServices();
        var jobs = services.GetRequiredService<IBackgroundJobClient>();
        // No job server runs here, so these stay as queued: a record's pages now, and again in an hour (a retry's shape).
        var queued = jobs.Enqueue<RecordPages>(pages => pages.MakePagesAsync(Guid.NewGuid(), CancellationToken.None));
        var scheduled = jobs.Schedule<RecordPages>(pages => pages.MakePagesAsync(Guid.NewGuid(), CancellationToken.None), TimeSpan.FromHours(1));
        var deleted = jobs.Enqueue<RecordPages>(pages => pages.MakePagesAsync(Guid.NewGuid(), CancellationToken.None));
        jobs.Delete(deleted);
        // What a host registers as it starts; a host that outlives the reset keeps its schedule.
        RecordPages.Schedule(services);
        var storage = services.GetRequiredService<JobStorage>();
        var monitor = storage.GetMonitoringApi();
        // Two in the queue: a deleted job's entry stays there until a worker takes it and drops it.
        Assert.Equal(2, monitor.EnqueuedCount("default"));
        Assert.Equal(1, monitor.ScheduledCount());
        Assert.Equal(1, monitor.DeletedListCount());

        await database.ResetAsync();

        Assert.Equal(0, monitor.EnqueuedCount("default"));
        Assert.Equal(0, monitor.ScheduledCount());
        Assert.Equal(0, monitor.DeletedListCount());
        Assert.Null(monitor.JobDetails(queued));
        Assert.Null(monitor.JobDetails(scheduled));
        Assert.Equal(0, await database.ScalarAsync($"SELECT count(*) FROM {JobsModule.Schema}.job"));
        Assert.Equal(0, await database.ScalarAsync($"SELECT count(*) FROM {JobsModule.Schema}.jobqueue"));
        using var connection = storage.GetConnection();
        Assert.Contains(connection.GetRecurringJobs(), job => job.Id == RecordPages.SweepJobId);
    }
}
