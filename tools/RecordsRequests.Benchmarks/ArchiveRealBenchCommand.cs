using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using MimeKit;
using Npgsql;
using RecordsRequests.Data;
using RecordsRequests.Features.Archive;
using RecordsRequests.Hosting;
using RecordsRequests.Hosting.Cli;

namespace RecordsRequests.Benchmarks;

/// <summary>
/// <c>ops/benchmark archive bench real &lt;mbox&gt;</c>: imports an mbox through the product's own import path (the same
/// <see cref="ArchiveImporter"/> as <c>ops/records archive import</c>: cut, parse, store and sync the originals, COPY the
/// rows, index) into a scratch database and data folder, and reports its rates, processor time and peak memory beside
/// MimeKit's parse-only rate on the same file in the same run. The machine may be shared: processor seconds per 1,000
/// messages and the load average are printed with every figure, since wall rates move with the load and they do not.
/// </summary>
internal sealed class ArchiveRealBenchCommand(IOptions<RecordsOptions> options) : ICliCommand
{
    public static string Name => "archive bench real";
    public static string Summary => "import an mbox through the real import path into a scratch database; rates, CPU and memory beside MimeKit's parse-only rate";
    public static string Usage => """
        ops/benchmark archive bench real <mbox> [--word-pairs] [--keep]
          Creates a scratch database on the configured PostgreSQL server and a scratch data folder in the data folder,
          imports the mbox as 'ops/records archive import' does, then parses the same file with MimeKit alone. Both are
          removed afterwards unless --keep. Run it in a process of its own: the peak memory is the process's (VmHWM).
          --word-pairs indexes word pairs of frequent words too, as with the setting Archive__WordPairs=true.
          On ext4 without a journal, a run within six minutes of another's clean-up can be slowed (the report
          cautions): --keep a series.
        """;

    public async Task<int> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var args = new CliArguments(arguments, new HashSet<string> { "keep", "word-pairs" });
        args.RejectUnknown("keep", "word-pairs");
        if (args.Positional.Count != 1 || !File.Exists(args.Positional[0]))
        {
            throw new UsageException("Name one mbox file.");
        }
        var mbox = Path.GetFullPath(args.Positional[0]);
        var size = new FileInfo(mbox).Length;
        var name = $"records_bench_{Guid.NewGuid():N}";
        var admin = options.Value.Database;
        var scratch = ScratchFileSystem.Create(options.DataPath(), name);
        await ExecuteAsync(admin, $"create database \"{name}\"", cancellationToken);
        try
        {
            var settings = new Dictionary<string, string?>
            {
                ["Records:Database"] = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString,
                ["Records:DataPath"] = scratch,
                ["Records:TimeZone"] = options.Value.TimeZone,
                [$"{ArchiveOptions.SectionName}:{nameof(ArchiveOptions.WordPairs)}"] = args.Has("word-pairs") ? "true" : "false",
            };
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
            RecordsHost.AddRecordsCore(services);
            await using var provider = services.BuildServiceProvider();
            await using (var scope = provider.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<AppDbContext>().Database.MigrateAsync(cancellationToken);
            }

            var cores = Environment.ProcessorCount;
            Console.Error.WriteLine($"importing {mbox} ({size / 1048576.0:F0} MB) into the scratch database {name}");
            var loadBefore = LoadAverage();
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var runtimeBefore = RuntimeWork.Now();
            var faultsBefore = MinorPageFaults();
            var watch = Stopwatch.StartNew();
            ImportReport report;
            await using (var scope = provider.CreateAsyncScope())
            {
                report = await scope.ServiceProvider.GetRequiredService<ArchiveImporter>().ImportAsync(mbox, "bench", Console.Error, cancellationToken);
            }
            var importWall = watch.Elapsed;
            var importCpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            var runtime = RuntimeWork.Now().Since(runtimeBefore);
            var faults = MinorPageFaults() - faultsBefore;
            var loadAfter = LoadAverage();
            var peak = PeakResident();

            Console.Error.WriteLine("parsing the same file with MimeKit alone");
            var parseLoadBefore = LoadAverage();
            cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            watch.Restart();
            var parsed = ParseOnly(mbox, cancellationToken);
            var parseWall = watch.Elapsed;
            var parseCpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            var parseLoadAfter = LoadAverage();

            var messages = report.NewItems + report.Duplicates;
            var c = CultureInfo.InvariantCulture;
            Console.WriteLine(string.Create(c, $"Archive import on the real path: {mbox}, {size / 1048576.0:F1} MB, {cores} cores, word pairs {(args.Has("word-pairs") ? "on" : "off")}"));
            Console.WriteLine();
            Console.WriteLine($"| {"",-34} | {"import (ArchiveImporter)",-30} | {"MimeKit parse only",-30} |");
            Console.WriteLine($"|{new string('-', 36)}|{new string('-', 32)}|{new string('-', 32)}|");
            Console.WriteLine(string.Create(c, $"| {"messages",-34} | {messages,-30:N0} | {parsed,-30:N0} |"));
            Console.WriteLine(string.Create(c, $"| {"wall time",-34} | {$"{importWall.TotalSeconds:F1} s",-30} | {$"{parseWall.TotalSeconds:F1} s",-30} |"));
            Console.WriteLine(string.Create(c, $"| {"rate",-34} | {$"{messages / importWall.TotalSeconds:N0} msg/s, {size / 1048576.0 / importWall.TotalSeconds:F1} MB/s",-30} | {$"{parsed / parseWall.TotalSeconds:N0} msg/s, {size / 1048576.0 / parseWall.TotalSeconds:F1} MB/s",-30} |"));
            Console.WriteLine(string.Create(c, $"| {"CPU time (this process)",-34} | {$"{importCpu.TotalSeconds:F1} s, {100 * importCpu.TotalSeconds / importWall.TotalSeconds / cores:F0} % of {cores} cores",-30} | {$"{parseCpu.TotalSeconds:F1} s, {100 * parseCpu.TotalSeconds / parseWall.TotalSeconds / cores:F0} % of {cores} cores",-30} |"));
            Console.WriteLine(string.Create(c, $"| {"CPU seconds per 1,000 messages",-34} | {1000 * importCpu.TotalSeconds / Math.Max(1, messages),-30:F3} | {1000 * parseCpu.TotalSeconds / Math.Max(1, parsed),-30:F3} |"));
            Console.WriteLine(string.Create(c, $"| {"peak resident memory (VmHWM)",-34} | {$"{peak / 1048576.0:F0} MB",-30} | {"(same process, after)",-30} |"));
            Console.WriteLine(string.Create(c, $"| {"load average before / after",-34} | {$"{loadBefore} / {loadAfter}",-30} | {$"{parseLoadBefore} / {parseLoadAfter}",-30} |"));
            Console.WriteLine();
            Console.WriteLine(string.Create(c, $"{report.NewItems:N0} new, {report.Duplicates:N0} duplicates, {report.Failures.Count} failed. PostgreSQL's own processor time is not in these figures."));
            // A fresh process compiles as it goes: in a short import the JIT's share of the processor is a cost of starting,
            // which a longer one spreads thinner.
            Console.WriteLine(string.Create(c, $"JIT during the import: {runtime.JitMethods:N0} methods compiled, {runtime.JitTime.TotalSeconds:F1} s compiling ({100 * runtime.JitTime.TotalSeconds / importCpu.TotalSeconds:F0} % of its CPU time); garbage collections {runtime.CollectionsText()}"));
            // Every page of memory the process takes fresh from the kernel is a fault and a page the kernel zeroes first.
            Console.WriteLine(string.Create(c, $"Memory during the import: {runtime.Allocated / 1048576.0:N0} MB allocated ({runtime.Allocated / 1024.0 / Math.Max(1, messages):N0} KB a message), {faults:N0} minor page faults ({faults * Environment.SystemPageSize / 1048576.0:N0} MB of pages taken fresh)"));
            Console.WriteLine("Where the import's time went, by stage (busy: wall time working, not waiting; summed over a stage's workers; CPU only for stages on threads of their own):");
            Console.WriteLine($"  {"stage",-18} {"workers",7} {"busy s",8} {"CPU s",8} {"CPU ms per 1,000 msg",21}");
            foreach (var stage in report.Stages)
            {
                Console.WriteLine(string.Create(c,
                    $"  {stage.Name,-18} {stage.Workers,7} {stage.Busy.TotalSeconds,8:F1} {(stage.Cpu is { } cpu ? cpu.TotalSeconds.ToString("F1", c) : "-"),8} {(stage.Cpu is { } perStage ? (1000 * perStage.TotalMilliseconds / Math.Max(1, messages)).ToString("F0", c) : "-"),21}"));
            }
            if (ScratchFileSystem.Caution(scratch) is { } caution)
            {
                Console.WriteLine($"caution: {caution}");
            }
            if (args.Has("keep"))
            {
                Console.WriteLine($"kept: database {name}, data folder {scratch}");
            }
            return report.Failures.Count == 0 ? 0 : 1;
        }
        finally
        {
            if (!args.Has("keep"))
            {
                NpgsqlConnection.ClearAllPools();
                await ExecuteAsync(admin, $"drop database if exists \"{name}\" with (force)", CancellationToken.None);
                Directory.Delete(scratch, recursive: true);
            }
        }
    }

    /// <summary>MimeKit's mbox parser over the file with default options, as an application that only parses would run it.</summary>
    private static int ParseOnly(string mbox, CancellationToken cancellationToken)
    {
        using var stream = new FileStream(mbox, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var parser = new MimeParser(stream, MimeFormat.Mbox);
        var count = 0;
        while (!parser.IsEndOfStream)
        {
            parser.ParseMessage(cancellationToken);
            count++;
        }
        return count;
    }

    private static async Task ExecuteAsync(string connectionString, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The 1-minute load average, as uptime prints it.</summary>
    internal static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    /// <summary>The process's minor page faults so far (the tenth field of /proc/self/stat); 0 where /proc is not available.</summary>
    private static long MinorPageFaults()
    {
        if (!File.Exists("/proc/self/stat"))
        {
            return 0;
        }
        // The second field, the command name in parentheses, may hold spaces: count from after it.
        var stat = File.ReadAllText("/proc/self/stat");
        return long.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[7], CultureInfo.InvariantCulture);
    }

    /// <summary>The process's peak resident memory (VmHWM in /proc/self/status), in bytes; 0 where /proc is not available.</summary>
    internal static long PeakResident()
    {
        if (!File.Exists("/proc/self/status"))
        {
            return 0;
        }
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }
}
