using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Npgsql;
using RecordsRequests.Features.Requests;
using RecordsRequests.Features.Workflow;
using RecordsRequests.Hosting;
using RecordsRequests.Hosting.Cli;
using WorkflowCore.Interface;

namespace RecordsRequests.Benchmarks;

/// <summary>
/// Drives N requests from receipt to counsel approval on this node and reports steps per second, the latency from an
/// event's publication to the start of the step it releases (p50/p95/max), and resident memory as instances pile up.
/// Uses the configured database: run it against a scratch database.
/// </summary>
internal sealed class WorkflowBenchCommand(IServiceProvider provider, IWorkflowHost host, WorkflowDefinitions definitions, NpgsqlDataSource dataSource)
    : ICliCommand
{
    public static string Name => "workflow bench";
    public static string Summary => "benchmark the lifecycle: N requests driven to counsel approval";
    public static string Usage => "ops/benchmark workflow bench [--requests 1000] [--rate 25]   (rate = decisions published per second)";

    private static readonly (LifecycleEvent Event, string Outcome, string Node)[] Path =
    [
        (LifecycleEvent.TriageDecided, "public-records", "triage"),
        (LifecycleEvent.CollectionCompleted, "collected", "collect"),
        (LifecycleEvent.ReviewCompleted, "ready", "review"),
    ];

    public async Task<int> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var cli = new CliArguments(arguments, new HashSet<string>());
        cli.RejectUnknown("requests", "rate");
        var count = int.Parse(cli.Value("requests") ?? "1000", CultureInfo.InvariantCulture);
        var rate = double.Parse(cli.Value("rate") ?? "25", CultureInfo.InvariantCulture);
        provider.ApplyEngineOptions();
        definitions.EnsureRegistered();
        await host.StartAsync(cancellationToken);
        var memory = new List<object>();
        void Sample(string phase)
        {
            GC.Collect();
            using var self = Process.GetCurrentProcess();
            memory.Add(new { phase, residentMb = Math.Round(self.WorkingSet64 / 1048576.0, 1), managedMb = Math.Round(GC.GetTotalMemory(false) / 1048576.0, 1) });
        }
        Sample("start");
        var clock = Stopwatch.StartNew();
        var ids = new List<Guid>(count);
        for (var i = 0; i < count; i++)
        {
            await using var scope = provider.CreateAsyncScope();
            var request = await scope.ServiceProvider.GetRequiredService<SubmitRequest>().HandleAsync(
                new SubmitRequest.Input { Email = $"bench{i}@example.org", Description = $"Benchmark request {i}" },
                RequestChannel.Email, CitedLaw.None, cancellationToken);
            ids.Add(request.Id);
            await PaceAsync(clock, i + 1, rate, cancellationToken);
        }
        await WaitForWaitersAsync(Path[0].Event, count, cancellationToken);
        Sample("all acknowledged, waiting at triage");
        var published = 0;
        var publishClock = Stopwatch.StartNew();
        foreach (var (lifecycleEvent, outcome, _) in Path)
        {
            foreach (var id in ids)
            {
                await using var scope = provider.CreateAsyncScope();
                scope.ServiceProvider.GetRequiredService<HttpOrSystemActor>().SystemName = "bench";
                var lifecycle = scope.ServiceProvider.GetRequiredService<RequestLifecycle>();
                // A request not yet at this node (its previous step still queued) is retried until it gets there.
                while ((await lifecycle.PublishAsync(id, lifecycleEvent, outcome, null, cancellationToken)).Outcome != RequestLifecycle.PublishOutcome.Accepted)
                {
                    await Task.Delay(200, cancellationToken);
                }
                published++;
                await PaceAsync(publishClock, published, rate, cancellationToken);
            }
            Sample($"published {lifecycleEvent} for all");
        }
        await WaitForWaitersAsync(LifecycleEvent.CounselDecided, count, cancellationToken);
        var elapsed = clock.Elapsed;
        Sample("all waiting for counsel");
        var latencies = await LatenciesAsync(cancellationToken);
        var steps = await ScalarAsync("SELECT coalesce(sum(jsonb_array_length(execution_pointers::jsonb)), 0) FROM workflow.instances", cancellationToken);
        await host.StopAsync(CancellationToken.None);
        latencies.Sort();
        double Percentile(double p) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(p * latencies.Count) - 1)];
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            requests = count,
            offeredRatePerSecond = rate,
            elapsedSeconds = Math.Round(elapsed.TotalSeconds, 1),
            steps,
            stepsPerSecond = Math.Round(steps / elapsed.TotalSeconds, 1),
            eventToNextStepMs = new { samples = latencies.Count, p50 = Math.Round(Percentile(0.5), 1), p95 = Math.Round(Percentile(0.95), 1), max = Math.Round(latencies.LastOrDefault(), 1) },
            memory,
            processorCount = Environment.ProcessorCount,
        }, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
        return 0;
    }

    private static async Task PaceAsync(Stopwatch clock, int done, double rate, CancellationToken cancellationToken)
    {
        var due = TimeSpan.FromSeconds(done / rate);
        if (due > clock.Elapsed)
        {
            await Task.Delay(due - clock.Elapsed, cancellationToken);
        }
    }

    private async Task WaitForWaitersAsync(LifecycleEvent lifecycleEvent, int count, CancellationToken cancellationToken)
    {
        while (await ScalarAsync($"SELECT count(*) FROM workflow.subscriptions WHERE event_name = '{lifecycleEvent}'", cancellationToken) < count)
        {
            await Task.Delay(250, cancellationToken);
        }
    }

    /// <summary>From each event's publication time to the start time of the step its delivery released.</summary>
    private async Task<List<double>> LatenciesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT extract(epoch FROM (next.start_time - e.event_time)) * 1000
            FROM workflow.instances i
            CROSS JOIN LATERAL jsonb_array_elements(i.execution_pointers::jsonb) waited
            JOIN workflow.events e ON e.event_name = waited->>'EventName' AND e.event_key = waited->>'EventKey'
            CROSS JOIN LATERAL (
                SELECT (p->>'StartTime')::timestamptz AS start_time FROM jsonb_array_elements(i.execution_pointers::jsonb) p
                WHERE p->>'PredecessorId' = waited->>'Id') next
            WHERE (waited->>'EventPublished')::boolean
            """, connection);
        var result = new List<double>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(Convert.ToDouble(reader.GetValue(0), CultureInfo.InvariantCulture));
        }
        return result;
    }

    private async Task<long> ScalarAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }
}
