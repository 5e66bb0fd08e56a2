using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RecordsRequests.Data;
using RecordsRequests.Features.Archive;
using RecordsRequests.Features.Audit;
using RecordsRequests.Features.Mailboxes;
using RecordsRequests.IntegrationTests.Infrastructure;
using RecordsRequests.IntegrationTests.Reports;
using Xunit.Abstractions;

namespace RecordsRequests.IntegrationTests.Mailboxes;

/// <summary>
/// A collection runs as a Hangfire job in the web host. When that host dies in the middle (SIGKILL: no shutdown, no
/// requeue, like a power cut), nobody clicks anything: the next host to run picks the job up once its hold has expired
/// (Hangfire's invisibility timeout, <c>Jobs__InvisibilityTimeout</c>, short here), the collection continues from its
/// checkpoint, and it finishes exactly once: every message once in the archive, one "finished" in the audit trail.
/// Both hosts are the real application (<c>dotnet RecordsRequests.dll serve</c>) in processes of their own.
/// </summary>
public sealed class CollectionCrashRecoveryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Messages = 240;

    // A database of its own: the job must not be taken by the job server of another test's host.
    private readonly TestDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task HostKilledWhileCollecting_ANewHostTakesTheJobUp_AndTheCollectionFinishesExactlyOnce()
    {
        await using var provider = await ProviderDouble.StartAsync();
        await using var services = _database.BuildServices(settings: provider.Settings());
        var run = Guid.NewGuid().ToString("N")[..8];
        var custodian = $"robin-{run}@district.example";
        var box = provider.Mailbox(custodian);
        provider.AccessPolicy.Add(custodian);
        var messages = Enumerable.Range(1, Messages)
            .Select(n => MailCollectionTests.Receive(box, run, n, "Snow day plan", "The snow day plan for the buses.", new DateTimeOffset(2025, 2, 1 + n % 27, 12, 0, 0, TimeSpan.Zero)))
            .ToList();
        // A slow tenant, so the host is killed mid-way (three pages of 100).
        provider.Delay = TimeSpan.FromMilliseconds(15);
        var connection = await MailCollectionTests.ConnectAsync(services, MailboxKind.Microsoft365, run, provider);
        var request = await ReportsTests.SeedRequestAsync(services, $"pat-{run}@public.example", DateTimeOffset.UtcNow);
        var collection = await MailCollectionTests.QueueAsync(services, request, connection, custodian, "");
        var jobId = services.GetRequiredService<IBackgroundJobClient>().Enqueue<MailCollectionJob>(job => job.RunAsync(collection.Id, CancellationToken.None));
        string folder;
        await using (var jobScope = services.CreateAsyncScope())
        {
            folder = jobScope.ServiceProvider.GetRequiredService<MailCollectionJob>().FolderOf(collection.Id);
        }
        var seed = Environment.TickCount;
        var random = new Random(seed);
        output.WriteLine($"seed {seed}");

        using (var first = StartHost("first", provider))
        {
            // Killed once the first page is in the archive, at a random moment of the next.
            await WaitAsync(async () => await SourcesAsync(folder) >= 100, first, TimeSpan.FromMinutes(3), "the first host to collect a page");
            await Task.Delay(random.Next(0, 1500));
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
        }
        var atKill = await SourcesAsync(folder);
        output.WriteLine($"messages in the archive when the host was killed: {atKill}");
        Assert.True(atKill < Messages, $"the collection finished before the host was killed (seed {seed})");
        Assert.Equal(MailCollectionStatus.Running, (await MailCollectionTests.ReadAsync(services, collection.Id)).Status);
        Assert.Equal("Processing", await JobStateAsync(jobId));

        using (var second = StartHost("second", provider))
        {
            await WaitAsync(async () => (await MailCollectionTests.ReadAsync(services, collection.Id)).Status == MailCollectionStatus.Finished,
                second, TimeSpan.FromMinutes(3), "the collection to finish on the second host");
            await WaitAsync(async () => await JobStateAsync(jobId) == "Succeeded", second, TimeSpan.FromMinutes(1), "Hangfire to record the job as done");
            second.Kill(entireProcessTree: true);
            await second.WaitForExitAsync();
        }

        var done = await MailCollectionTests.ReadAsync(services, collection.Id);
        Assert.Equal((Messages, Messages, 0), (done.Messages, done.NewToArchive, done.Failed));
        var ids = messages.Select(m => MailboxConnectionTests.MessageIdOf(m.Raw)).ToList();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var items = await db.Set<ArchiveItem>().AsNoTracking().Where(i => ids.Contains(i.MessageId!)).Select(i => i.MessageId!).ToListAsync();
        Assert.Equal(ids.Order(StringComparer.Ordinal), items.Order(StringComparer.Ordinal));
        Assert.Equal(Messages, await db.Set<ArchiveItemSource>().CountAsync(s => s.SourceFile.StartsWith(folder)));
        var finishes = (await db.Set<AuditEvent>().AsNoTracking()
                .Where(e => e.EntityType == nameof(MailCollection) && e.RequestId == request.Id && e.Action == "MailCollection.StatusChanged").ToListAsync())
            .Count(e => e.After!.RootElement.GetProperty("Status").ToString() is "Finished" or "2");
        Assert.Equal(1, finishes);
        Assert.Empty(provider.Failures);
    }

    /// <summary>The web host, as ops/run starts it, on a port of its own, with a short invisibility timeout.</summary>
    private Process StartHost(string name, ProviderDouble provider)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "RecordsRequests.dll"), "serve"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["RECORDS_DB"] = _database.ConnectionString;
        start.Environment["RECORDS_DATA"] = _database.DataPath;
        start.Environment["RECORDS_URL"] = $"http://127.0.0.1:{FreePort()}";
        start.Environment["Jobs__InvisibilityTimeout"] = "00:00:06";
        foreach (var (key, value) in provider.Settings())
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { output.WriteLine($"{name}: {e.Data}"); } };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { output.WriteLine($"{name}: {e.Data}"); } };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return process;
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, Process host, TimeSpan limit, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.False(host.HasExited, $"The host exited (code {(host.HasExited ? host.ExitCode : 0)}) while waiting for {what}.");
            Assert.True(watch.Elapsed < limit, $"Waited {limit} for {what}.");
            await Task.Delay(50);
        }
    }

    private async Task<int> SourcesAsync(string folder) =>
        await _database.ScalarAsync($"select count(*) from archive_item_sources where source_file like '{folder.Replace("'", "''", StringComparison.Ordinal)}%'");

    private async Task<string?> JobStateAsync(string jobId)
    {
        await using var connection = new Npgsql.NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand($"select statename from {RecordsRequests.Hosting.JobsModule.Schema}.job where id = $1", connection);
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = long.Parse(jobId, System.Globalization.CultureInfo.InvariantCulture) });
        return (string?)await command.ExecuteScalarAsync();
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
