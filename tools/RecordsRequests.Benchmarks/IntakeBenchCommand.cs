using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MailKit;
using MailKit.Net.Imap;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;
using Npgsql;
using RecordsRequests.Data;
using RecordsRequests.Features.Intake;
using RecordsRequests.Features.Mailboxes;
using RecordsRequests.Features.Records;
using RecordsRequests.Hosting;
using RecordsRequests.Hosting.Cli;

namespace RecordsRequests.Benchmarks;

/// <summary>
/// <c>ops/benchmark intake bench &lt;mbox-or-folder&gt;</c>: a newly connected mailbox catching up, on the real path. The
/// messages are put in a folder of a real IMAP server (the dovecot ops/benchmark starts), a records-inbox connection to
/// it is added to a scratch database, and the product's own mailbox intake takes them in with one poll: fetched, their
/// originals stored and synced, their rows committed, read, classified and acted on (requests opened with their clocks
/// and lifecycles, replies threaded, mail held), then marked on the server. The spam verdict is the provider's
/// (fetched mail is never scored by SpamAssassin here). Reported beside MimeKit's parse-only rate on the same messages in
/// the same run, with the process's processor time, PostgreSQL's (<see cref="PostgresCpu"/>), its peak own memory
/// (RssAnon) and the load average before and after. A warm-up catch-up goes first: in a fresh process the tiered JIT
/// compiling the path took about 40 % of the process's processor time of a 10,000-message catch-up (1.95 CPU s per 1,000
/// messages cold, 1.25 with dynamic PGO off, 1.07 with tiered compilation off, load 7-10), a cost a running server pays once.
/// </summary>
public sealed class IntakeBenchCommand(IConfiguration configuration, IOptions<RecordsOptions> records) : ICliCommand
{
    public static string Name => "intake bench";
    public static string Summary => "a newly connected mailbox catching up through the real intake path, next to MimeKit's parse-only rate";
    public static string Usage => """
        Usage: ops/benchmark intake bench <file-or-folder> [--messages N] [--warm-up N] [--runs N] [--channel mailbox|poller] [--keep] [--json]
          Puts the messages in a new folder of the IMAP server named by RECORDS_BENCH_IMAP (Host=..;Port=..;User=..;Password=..;
          ops/benchmark starts a private dovecot), creates a scratch database intake_bench_* on the configured PostgreSQL
          server and a scratch data folder in the data folder, and times one catch-up: --channel mailbox (default)
          through a records-inbox mailbox connection (MailboxIntake), poller through the IMAP poller of Intake:Imap (ImapIntakePoller). All three
          are removed afterwards unless --keep (on ext4 without a journal, a run within six minutes of another's clean-up
          can be slowed: the report cautions, --keep a series). The workflow host does not run: lifecycles are started, not stepped.
          Before it, copies of --warm-up N (default ten pages of intake; 0 for none) of the messages are caught up the same way from a folder
          of their own, untimed, again until a round leaves the JIT next to nothing to compile (at most 6 rounds), so the
          measured catch-up runs on code already compiled, as in a running server; the database is restored as migrated
          before each. --runs N (default 1) catches up N times (copies of the messages after the first), for the median.
        """;

    /// <summary>
    /// Messages of a warm-up catch-up: enough pages for the path's methods to reach the tiered JIT's later tiers within a
    /// few rounds. Counted in pages, since much of the path runs once a page: with pages of 500, six rounds of 2,000 (24
    /// pages) left 1,492 methods (2.27 CPU s) to compile in the measured catch-up; rounds of ten pages leave about 500
    /// (0.5-0.7 s), mostly methods run once a page or once a catch-up reaching the JIT's last tier.
    /// </summary>
    private static readonly int DefaultWarmUp = 10 * MailPages.MaxMessages;

    /// <summary>
    /// A warm-up catch-up that compiled fewer methods than this leaves the JIT settled: one round of 2,000 left it compiling
    /// 3,882 methods (2.3 s of 10.7 s of processor time) during the measured 10,000.
    /// </summary>
    private const int SettledMethodsCompiled = 300;

    private const int MaxWarmUpRounds = 6;

    public async Task<int> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var args = new CliArguments(arguments, new HashSet<string> { "json", "keep" });
        args.RejectUnknown("messages", "channel", "warm-up", "runs", "json", "keep");
        if (args.Positional.Count != 1)
        {
            throw new UsageException("Name one file or folder.");
        }
        var limit = args.Value("messages") is { } m ? int.TryParse(m, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new UsageException("--messages needs a positive number.") : int.MaxValue;
        var warmUp = args.Value("warm-up") is { } w ? int.TryParse(w, CultureInfo.InvariantCulture, out var k) && k >= 0 ? k : throw new UsageException("--warm-up needs a number, 0 for none.") : DefaultWarmUp;
        var runs = args.Value("runs") is { } r ? int.TryParse(r, CultureInfo.InvariantCulture, out var q) && q > 0 ? q : throw new UsageException("--runs needs a positive number.") : 1;
        var channel = args.Value("channel") ?? "mailbox";
        if (channel is not ("mailbox" or "poller"))
        {
            throw new UsageException("--channel is mailbox or poller.");
        }
        var imap = ImapAccount.FromEnvironment();
        var messages = MailFiles.Enumerate(Path.GetFullPath(args.Positional[0]), 1L << 31).Where(e => e.Raw is not null).Select(e => e.Raw!).Take(limit).ToList();
        if (messages.Count == 0)
        {
            throw new UsageException("No messages found.");
        }
        var bytes = messages.Sum(x => (long)x.Length);
        var admin = records.Value.Database;
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var warmUpCount = Math.Min(warmUp, messages.Count);
        // One scratch database, data folder and set of services for the warm-ups and the measured catch-up, as a running
        // server has one: each catch-up is a new mailbox connection to a folder of its own, on the database as it was
        // migrated (restored from a copy taken then), so the measured one does the same work as on a fresh install, on
        // code the warm-ups compiled. A new set of services for it would compile its queries and resolvers again (about
        // 700 methods, 0.4-0.7 CPU s of a 10,000-message catch-up), which a running server does not.
        await using var bench = await ScratchIntake.CreateAsync(configuration, admin, records.DataPath(), imap, suffix, channel, args.Has("keep"), cancellationToken);
        var store = bench.Provider.GetRequiredService<ContentStore>();
        var warmUpRounds = 0;
        while (warmUpCount > 0 && warmUpRounds < MaxWarmUpRounds)
        {
            // Until a round leaves the JIT next to nothing to compile, each measured as the last one is, so the measuring
            // is compiled too. Copies of the messages, so the measured catch-up stores every original anew; nothing is
            // deleted before it (file systems are slower to create files just after thousands were deleted).
            warmUpRounds++;
            var round = warmUpRounds;
            var warm = await bench.ConnectFolderAsync($"w{round}", messages.Take(warmUpCount).Select(m => Copy(m, "Warm-Up", round)).ToList(), cancellationToken);
            var warmed = await MeasureAsync(bench, store, warm, cancellationToken);
            Console.Error.WriteLine($"warm-up {warmUpRounds}: {warmUpCount:N0} copies of the messages caught up from an IMAP folder of their own; {warmed.Runtime.JitMethods:N0} methods compiled");
            if (warmed.Runtime.JitMethods < SettledMethodsCompiled)
            {
                break;
            }
        }
        var catchUp = await bench.ConnectFolderAsync("", messages, cancellationToken);
        var provider = bench.Provider;
        // Warm-up: the parser's and classifier's first use (JIT, the sanitizer's tables) is not what is measured.
        var analyzer = provider.GetRequiredService<MailAnalyzer>();
        foreach (var message in messages.Take(50))
        {
            analyzer.Parser.Parse(message, cancellationToken);
            ParseOnly(message, cancellationToken);
        }

        Console.Error.WriteLine($"catching up through the {(channel == "mailbox" ? "mailbox connection" : "IMAP poller")} into the scratch database {bench.Database}");
        var measured = await MeasureAsync(bench, store, catchUp, cancellationToken);
        var (taken, wall, cpu, runtime, passes, peakOwn, syncs, postgres, loadBefore, loadAfter) = measured;

        var classes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        int requests;
        long lifecycles;
        await using (var scope = provider.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            foreach (var row in await db.Set<InboundMessage>().GroupBy(x => x.Classification).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken))
            {
                classes[row.Key.ToString().ToLowerInvariant()] = row.Count;
            }
            requests = await db.Requests.CountAsync(cancellationToken);
            lifecycles = await ScalarAsync(db, "SELECT count(*) FROM workflow.instances", cancellationToken);
        }

        // The machine's speed drifts between runs more than a change of a few percent moves the figures: repeated
        // catch-ups (copies of the messages, on the database as migrated) give a median and a spread.
        var repeated = new List<Measurement>();
        for (var run = 2; run <= runs; run++)
        {
            var round = run;
            var again = await bench.ConnectFolderAsync($"r{run}", messages.Select(m => Copy(m, "Run", round)).ToList(), cancellationToken);
            repeated.Add(await MeasureAsync(bench, store, again, cancellationToken));
        }
        var all = repeated.Prepend(measured).ToList();
        double Median(Func<Measurement, double> of) => all.Select(of).Order().ElementAt(all.Count / 2);
        double Rate(Measurement x) => messages.Count / x.Wall.TotalSeconds;
        double CpuPerThousand(Measurement x) => 1000 * x.Cpu.TotalSeconds / messages.Count;
        double PostgresPerThousand(Measurement x) => 1000 * (x.Postgres.Backends + x.Postgres.Background).TotalSeconds / messages.Count;

        var parseLoadBefore = ArchiveRealBenchCommand.LoadAverage();
        var parseCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        foreach (var message in messages)
        {
            ParseOnly(message, cancellationToken);
        }
        var parseWall = watch.Elapsed;
        var parseCpu = Process.GetCurrentProcess().TotalProcessorTime - parseCpuBefore;
        var parseLoadAfter = ArchiveRealBenchCommand.LoadAverage();

        var cores = Environment.ProcessorCount;
        var fileSystemCaution = ScratchFileSystem.Caution(bench.DataPath);
        var report = new
        {
            messages = messages.Count,
            megabytes = Math.Round(bytes / 1048576.0, 2),
            channel,
            taken,
            seconds = Math.Round(wall.TotalSeconds, 2),
            messagesPerSecond = Math.Round(messages.Count / wall.TotalSeconds, 1),
            cpuSeconds = Math.Round(cpu.TotalSeconds, 2),
            cpuPercentOfCores = Math.Round(100 * cpu.TotalSeconds / wall.TotalSeconds / cores, 0),
            cpuSecondsPerThousand = Math.Round(1000 * cpu.TotalSeconds / messages.Count, 3),
            jitCompiledMethods = runtime.JitMethods,
            allocatedMegabytes = Math.Round(runtime.Allocated / 1048576.0, 0),
            garbageCollections = runtime.Collections,
            garbageCollectionPauseSeconds = Math.Round(runtime.GcPauses.TotalSeconds, 2),
            jitSeconds = Math.Round(runtime.JitTime.TotalSeconds, 2),
            stageSeconds = passes.ToDictionary(p => p.Pass, p => Math.Round(p.Elapsed.TotalSeconds, 2)),
            warmUpMessages = warmUpCount,
            warmUpRounds,
            postgresBackendCpuSeconds = Math.Round(postgres.Backends.TotalSeconds, 2),
            postgresBackgroundCpuSeconds = Math.Round(postgres.Background.TotalSeconds, 2),
            postgresCpuSecondsPerThousand = Math.Round(1000 * (postgres.Backends + postgres.Background).TotalSeconds / messages.Count, 3),
            peakOwnMemoryMegabytes = Math.Round(peakOwn / 1048576.0, 0),
            contentStoreSyncs = syncs,
            classifications = classes,
            requestsOpened = requests,
            lifecyclesStarted = lifecycles,
            loadAverageBefore = loadBefore,
            loadAverageAfter = loadAfter,
            mimeKitParseOnlyMessagesPerSecond = Math.Round(messages.Count / parseWall.TotalSeconds, 1),
            mimeKitParseOnlyCpuSecondsPerThousand = Math.Round(1000 * parseCpu.TotalSeconds / messages.Count, 3),
            mimeKitLoadAverageBefore = parseLoadBefore,
            mimeKitLoadAverageAfter = parseLoadAfter,
            cores,
            fileSystemCaution,
            runs = all.Select(x => new
            {
                messagesPerSecond = Math.Round(Rate(x), 1),
                cpuSecondsPerThousand = Math.Round(CpuPerThousand(x), 3),
                postgresCpuSecondsPerThousand = Math.Round(PostgresPerThousand(x), 3),
                loadAverageBefore = x.LoadBefore,
            }).ToList(),
            medianMessagesPerSecond = Math.Round(Median(Rate), 1),
        };
        if (args.Has("json"))
        {
            Console.WriteLine(JsonSerializer.Serialize(report, IntakeCommand.Json));
        }
        else
        {
            var c = CultureInfo.InvariantCulture;
            Console.WriteLine(string.Create(c, $"Intake catching up on the real path ({(channel == "mailbox" ? "mailbox connection, MailboxIntake" : "IMAP poller, ImapIntakePoller")}, IMAP from dovecot, PostgreSQL, originals synced): {messages.Count:N0} messages, {report.megabytes:F1} MB, {cores} cores; {(warmUpCount > 0 ? $"after {warmUpRounds} warm-up catch-up{(warmUpRounds == 1 ? "" : "s")} of {warmUpCount:N0}" : "no warm-up: the first use of the path is measured")}"));
            Console.WriteLine(string.Create(c, $"  catching up:          {report.messagesPerSecond,10:N1} messages/s  ({wall.TotalSeconds:F1} s; {taken:N0} taken in; load average {loadBefore} before, {loadAfter} after)"));
            Console.WriteLine(string.Create(c, $"    CPU (this process):  {cpu.TotalSeconds:F1} s, {report.cpuPercentOfCores} % of {cores} cores, {report.cpuSecondsPerThousand:F3} s per 1,000 messages; dovecot's own is not counted"));
            Console.WriteLine(string.Create(c, $"    CPU (PostgreSQL):    {postgres.Backends.TotalSeconds:F1} s in the backends serving the scratch database, {postgres.Background.TotalSeconds:F1} s in the server's background processes (WAL writer, checkpointer...; shared with any other user of the server); {report.postgresCpuSecondsPerThousand:F3} s per 1,000 messages"));
            Console.WriteLine(string.Create(c, $"    JIT during it:       {runtime.JitMethods:N0} methods compiled, {runtime.JitTime.TotalSeconds:F2} s compiling"));
            Console.WriteLine(string.Create(c, $"    allocated:           {runtime.Allocated / 1048576.0:N0} MB ({runtime.Allocated / 1024.0 / messages.Count:N0} KB a message; the same on any machine); garbage collections {runtime.CollectionsText()}"));
            Console.WriteLine(string.Create(c, $"    by stage (wall, the pages' summed): {string.Join(", ", passes.Select(p => $"{p.Pass} {p.Elapsed.TotalSeconds:F2} s"))}"));
            Console.WriteLine(string.Create(c, $"    peak own memory (RssAnon): {report.peakOwnMemoryMegabytes} MB; content-store syncs: {syncs:N0}"));
            Console.WriteLine(string.Create(c, $"    classes: {string.Join(", ", classes.Select(x => $"{x.Key} {x.Value:N0}"))}; requests opened {requests:N0}, lifecycles started {lifecycles:N0}"));
            if (all.Count > 1)
            {
                Console.WriteLine(string.Create(c, $"  {all.Count} catch-ups:         median {Median(Rate):N1} messages/s ({string.Join(", ", all.Select(x => $"{Rate(x):N1}"))}); process CPU s per 1,000 median {Median(CpuPerThousand):F3} ({string.Join(", ", all.Select(x => $"{CpuPerThousand(x):F3}"))}); PostgreSQL's median {Median(PostgresPerThousand):F3}; GC pauses median {Median(x => x.Runtime.GcPauses.TotalSeconds):F2} s; load average before each {string.Join("; ", all.Select(x => x.LoadBefore))}"));
            }
            Console.WriteLine(string.Create(c, $"  MimeKit parse only:   {report.mimeKitParseOnlyMessagesPerSecond,10:N1} messages/s  (one core, {report.mimeKitParseOnlyCpuSecondsPerThousand:F3} CPU s per 1,000; load average {parseLoadBefore} before, {parseLoadAfter} after)"));
            if (fileSystemCaution is not null)
            {
                Console.WriteLine($"  caution: {fileSystemCaution}");
            }
        }
        if (args.Has("keep"))
        {
            Console.WriteLine($"kept: database {bench.Database} (and as migrated, {bench.Database}{ScratchIntake.MigratedSuffix}), data folder {bench.DataPath}, IMAP folders {string.Join(", ", bench.FolderNames)}");
        }
        return taken == messages.Count ? 0 : 1;
    }

    private sealed record Measurement(int Taken, TimeSpan Wall, TimeSpan Cpu, RuntimeWork Runtime, IReadOnlyList<(string Pass, TimeSpan Elapsed)> Passes,
        long PeakOwnMemory, long Syncs, (TimeSpan Backends, TimeSpan Background) Postgres, string LoadBefore, string LoadAfter);

    /// <summary>One catch-up, timed, with the process's and PostgreSQL's processor time, the JIT's work, the stages' times and the peak own memory.</summary>
    private static async Task<Measurement> MeasureAsync(ScratchIntake bench, ContentStore store, Func<CancellationToken, Task<int>> catchUp, CancellationToken cancellationToken)
    {
        var syncsBefore = store.Syncs;
        var postgresBefore = await PostgresCpu.ReadAsync(bench.ConnectionString, cancellationToken);
        using var memory = new OwnMemorySampler();
        using var stages = new PassTimes(Tracing.IntakeSourceName);
        var loadBefore = ArchiveRealBenchCommand.LoadAverage();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var runtimeBefore = RuntimeWork.Now();
        var watch = Stopwatch.StartNew();
        var taken = await catchUp(cancellationToken);
        var wall = watch.Elapsed;
        stages.Recording = false;
        var runtime = RuntimeWork.Now().Since(runtimeBefore);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var loadAfter = ArchiveRealBenchCommand.LoadAverage();
        var peakOwn = memory.Stop();
        var postgres = (await PostgresCpu.ReadAsync(bench.ConnectionString, cancellationToken)).Since(postgresBefore);
        return new Measurement(taken, wall, cpu, runtime, stages.Passes, peakOwn, store.Syncs - syncsBefore, postgres, loadBefore, loadAfter);
    }

    /// <summary>Appends the messages to a new folder, many to a command (MULTIAPPEND); not timed.</summary>
    private static async Task FillFolderAsync(ImapAccount imap, string folderName, List<byte[]> messages, CancellationToken cancellationToken)
    {
        using var client = await imap.OpenAsync(cancellationToken);
        var root = client.GetFolder(client.PersonalNamespaces[0]);
        var folder = await root.CreateAsync(folderName, isMessageFolder: true, cancellationToken)
            ?? throw new InvalidOperationException($"The IMAP server did not create {folderName}.");
        foreach (var chunk in messages.Chunk(200))
        {
            var requests = chunk.Select(raw => (IAppendRequest)new AppendRequest(MimeMessage.Load(new MemoryStream(raw, writable: false), cancellationToken), MessageFlags.None)).ToList();
            await folder.AppendAsync(requests, cancellationToken);
        }
        await client.DisconnectAsync(true, cancellationToken);
    }

    private static async Task DeleteFolderAsync(ImapAccount imap, string folderName, CancellationToken cancellationToken)
    {
        using var client = await imap.OpenAsync(cancellationToken);
        await (await client.GetFolderAsync(folderName, cancellationToken)).DeleteAsync(cancellationToken);
        await client.DisconnectAsync(true, cancellationToken);
    }

    /// <summary>MimeKit with its default options, as an application that only parses would call it; a refusal counts as done.</summary>
    private static void ParseOnly(byte[] message, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream(message, writable: false);
        try
        {
            MimeMessage.Load(stream, cancellationToken);
        }
        catch (FormatException)
        {
            // ParseException derives from FormatException: an unparseable input ends the parse just as it ends intake's.
        }
    }

    private static async Task<long> ScalarAsync(AppDbContext db, string sql, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The IMAP account the messages are put in: RECORDS_BENCH_IMAP, as ops/benchmark sets it.</summary>
    private sealed record ImapAccount(string Host, int Port, string User, string Password)
    {
        public static ImapAccount FromEnvironment()
        {
            var value = Environment.GetEnvironmentVariable("RECORDS_BENCH_IMAP")
                ?? throw new UsageException("RECORDS_BENCH_IMAP is not set: run the bench through ops/benchmark, which starts a private IMAP server.");
            var parts = value.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "",
                StringComparer.OrdinalIgnoreCase);
            return new ImapAccount(parts["Host"], int.Parse(parts["Port"], CultureInfo.InvariantCulture), parts["User"], parts["Password"]);
        }

        public async Task<ImapClient> OpenAsync(CancellationToken cancellationToken)
        {
            var client = new ImapClient();
            await client.ConnectAsync(Host, Port, MailKit.Security.SecureSocketOptions.None, cancellationToken);
            await client.AuthenticateAsync(User, Password, cancellationToken);
            return client;
        }
    }

    /// <summary>
    /// Samples the process's own memory (RssAnon in /proc/self/status: its heap and stacks, without mapped files) every
    /// 50 ms and keeps the highest; VmHWM would also count the files and libraries mapped into it.
    /// </summary>
    private sealed class OwnMemorySampler : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task<long> _sampling;

        public OwnMemorySampler() => _sampling = Task.Run(SampleAsync);

        private async Task<long> SampleAsync()
        {
            var peak = 0L;
            while (true)
            {
                peak = Math.Max(peak, RssAnon());
                try
                {
                    await Task.Delay(50, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return Math.Max(peak, RssAnon());
                }
            }
        }

        public long Stop()
        {
            _stop.Cancel();
            return _sampling.GetAwaiter().GetResult();
        }

        private static long RssAnon()
        {
            if (!File.Exists("/proc/self/status"))
            {
                return 0;
            }
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("RssAnon:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line["RssAnon:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }

        public void Dispose()
        {
            _stop.Cancel();
            _stop.Dispose();
        }
    }

    /// <summary>A copy of a message for another catch-up: its bytes differ (one header more), so its original is stored anew.</summary>
    private static byte[] Copy(byte[] message, string kind, int round) => [.. System.Text.Encoding.ASCII.GetBytes($"X-Bench-{kind}: {round}\r\n"), .. message];

    /// <summary>
    /// A scratch database and data folder with the product's services on them, and the IMAP folders caught up from: each
    /// through a connection of its own (or the IMAP poller's settings), on the database as migrated. All removed when
    /// disposed unless kept.
    /// </summary>
    private sealed class ScratchIntake : IAsyncDisposable
    {
        /// <summary>The database as migrated is kept under its name and this, to restore before every catch-up but the first.</summary>
        public const string MigratedSuffix = "_migrated";

        private readonly string _admin;
        private readonly ImapAccount _imap;
        private readonly string _suffix;
        private readonly string _channel;
        private readonly bool _keep;
        private readonly List<string> _folders = [];
        private bool _used;

        private ScratchIntake(string admin, string dataPath, ImapAccount imap, string suffix, string channel, bool keep)
        {
            (_admin, _imap, _suffix, _channel, _keep) = (admin, imap, suffix, channel, keep);
            Database = $"intake_bench_{suffix}";
            DataPath = ScratchFileSystem.Create(dataPath, Database);
            ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = Database }.ConnectionString;
        }

        public string Database { get; }
        public string DataPath { get; }
        public string ConnectionString { get; }
        public IReadOnlyList<string> FolderNames => _folders;
        public ServiceProvider Provider { get; private set; } = null!;

        /// <param name="dataPath">The product's data folder, in which the scratch data folder is made.</param>
        public static async Task<ScratchIntake> CreateAsync(IConfiguration configuration, string admin, string dataPath, ImapAccount imap, string suffix,
            string channel, bool keep, CancellationToken cancellationToken)
        {
            var scratch = new ScratchIntake(admin, dataPath, imap, suffix, channel, keep);
            try
            {
                await scratch.SetUpAsync(configuration, cancellationToken);
                return scratch;
            }
            catch
            {
                await scratch.DisposeAsync();
                throw;
            }
        }

        private async Task SetUpAsync(IConfiguration configuration, CancellationToken cancellationToken)
        {
            await ExecuteAsync(_admin, $"create database \"{Database}\"", cancellationToken);
            var settings = new Dictionary<string, string?>
            {
                ["Records:Database"] = ConnectionString,
                ["Records:DataPath"] = DataPath,
            };
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddConfiguration(configuration).AddInMemoryCollection(settings).Build());
            RecordsHost.AddRecordsCore(services);
            Provider = services.BuildServiceProvider();
            await using (var scope = Provider.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<AppDbContext>().Database.MigrateAsync(cancellationToken);
            }
            // The job schema too (as ops/records migrate), for the page jobs of attachments.
            await MigrateCommand.InstallJobSchemaAsync(Provider.GetRequiredService<NpgsqlDataSource>(), cancellationToken);
            LetGoOfConnections();
            await ExecuteAsync(_admin, $"create database \"{Database}{MigratedSuffix}\" template \"{Database}\"", cancellationToken);
        }

        /// <summary>The services' pooled connections closed, so the database can be copied or dropped.</summary>
        private void LetGoOfConnections()
        {
            Provider.GetRequiredService<NpgsqlDataSource>().Clear();
            NpgsqlConnection.ClearAllPools();
        }

        /// <summary>
        /// Puts the messages in a new IMAP folder, restores the database as migrated if a catch-up used it, and connects
        /// the folder; returns the catch-up, one poll that takes the folder in.
        /// </summary>
        public async Task<Func<CancellationToken, Task<int>>> ConnectFolderAsync(string name, List<byte[]> messages, CancellationToken cancellationToken)
        {
            var folderName = $"Bench-{_suffix}{name}";
            Console.Error.WriteLine($"putting {messages.Count:N0} messages in the IMAP folder {folderName}");
            await FillFolderAsync(_imap, folderName, messages, cancellationToken);
            _folders.Add(folderName);
            if (_used)
            {
                LetGoOfConnections();
                await ExecuteAsync(_admin, $"drop database \"{Database}\" with (force)", cancellationToken);
                await ExecuteAsync(_admin, $"create database \"{Database}\" template \"{Database}{MigratedSuffix}\"", cancellationToken);
            }
            _used = true;
            if (_channel == "mailbox")
            {
                MailboxConnection connection;
                await using (var scope = Provider.CreateAsyncScope())
                {
                    connection = await scope.ServiceProvider.GetRequiredService<MailboxConnections>().AddAsync(new NewMailboxConnection($"Bench {folderName}",
                        MailboxKind.ImapPassword, _imap.User, new MailboxEndpoint(null, null, _imap.Host, _imap.Port, null, 0, "None", folderName),
                        IsRecordsInbox: true, SendsOutgoingMail: false, Password: _imap.Password), cancellationToken);
                }
                var intake = Provider.GetRequiredService<MailboxIntake>();
                return token => intake.PollAsync(connection.Id, token);
            }
            var options = new IntakeOptions { Imap = { Host = _imap.Host, Port = _imap.Port, Security = "None", User = _imap.User, Password = _imap.Password, Folder = folderName } };
            var poller = new ImapIntakePoller(Provider.GetRequiredService<IServiceScopeFactory>(), Options.Create(options), NullLogger<ImapIntakePoller>.Instance);
            return async token =>
            {
                using var client = new ImapClient();
                await ImapIntakePoller.ConnectAsync(client, options.Imap, token);
                var taken = await poller.PollOnceAsync(client, await client.GetFolderAsync(folderName, token), token);
                await client.DisconnectAsync(true, token);
                return taken;
            };
        }

        public async ValueTask DisposeAsync()
        {
            if (Provider is not null)
            {
                await Provider.DisposeAsync();
            }
            if (_keep)
            {
                return;
            }
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(_admin, $"drop database if exists \"{Database}\" with (force)", CancellationToken.None);
            await ExecuteAsync(_admin, $"drop database if exists \"{Database}{MigratedSuffix}\" with (force)", CancellationToken.None);
            Directory.Delete(DataPath, recursive: true);
            foreach (var folder in _folders)
            {
                await DeleteFolderAsync(_imap, folder, CancellationToken.None);
            }
        }
    }
}
