using System.Diagnostics;
using System.Text.Json.Serialization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using MimeKit;
using RecordsRequests.Data;
using RecordsRequests.Features.Intake;
using RecordsRequests.Features.Records;
using RecordsRequests.Hosting.Cli;
using RecordsRequests.Hosting;

namespace RecordsRequests.Benchmarks;

/// <summary>
/// <c>ops/benchmark intake bench &lt;folder&gt;</c>: messages per second through intake (raw-first store, parse, classify;
/// nothing is sent and no request opened), beside MimeKit's parse-only rate on the same messages in the same run.
/// </summary>
public sealed class IntakeBenchCommand(IServiceProvider services, MailAnalyzer analyzer, IOptions<RecordsOptions> records) : ICliCommand
{
    public static string Name => "intake bench";
    public static string Summary => "measure intake throughput on a folder of mail next to MimeKit's parse-only rate";
    public static string Usage => "Usage: ops/benchmark intake bench <file-or-folder> [--rounds N] [--json]";

    public async Task<int> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var args = new CliArguments(arguments, new HashSet<string> { "json" });
        args.RejectUnknown("rounds", "json");
        if (args.Positional.Count != 1)
        {
            throw new UsageException("Name one file or folder.");
        }
        var rounds = int.TryParse(args.Value("rounds") ?? "3", out var r) && r > 0 ? r : throw new UsageException("--rounds needs a positive number.");
        var messages = MailFiles.Enumerate(Path.GetFullPath(args.Positional[0]), 1L << 30).Where(e => e.Raw is not null).Select(e => e.Raw!).ToList();
        if (messages.Count == 0)
        {
            throw new UsageException("No messages found.");
        }
        var bytes = messages.Sum(m => (long)m.Length);
        var threads = await IntakeCommand.DryRunThreadsAsync(services, records, cancellationToken);
        var scratch = Path.Combine(Path.GetTempPath(), $"records-intake-bench-{Guid.NewGuid():N}");
        var store = new ContentStore(Options.Create(new RecordsOptions { DataPath = scratch }));
        try
        {
            // Warm-up: JIT and the sanitizer's first use are not what is measured.
            foreach (var message in messages.Take(50))
            {
                ParseOnly(message, cancellationToken);
                await analyzer.AnalyzeAsync(message, threads, cancellationToken);
            }
            var parseOnly = new List<double>();
            var withoutStore = new List<double>();
            var intake = new List<double>();
            var classes = new SortedDictionary<string, int>(StringComparer.Ordinal);
            for (var round = 0; round < rounds; round++)
            {
                var watch = Stopwatch.StartNew();
                foreach (var message in messages)
                {
                    ParseOnly(message, cancellationToken);
                }
                parseOnly.Add(messages.Count / watch.Elapsed.TotalSeconds);

                // The same work without the durable raw store, to show what the fsync per message costs.
                watch.Restart();
                foreach (var message in messages)
                {
                    await analyzer.AnalyzeAsync(message, threads, cancellationToken);
                }
                withoutStore.Add(messages.Count / watch.Elapsed.TotalSeconds);

                watch.Restart();
                foreach (var message in messages)
                {
                    await store.PutAsync(message, cancellationToken);
                    var analysis = await analyzer.AnalyzeAsync(message, threads, cancellationToken);
                    if (round == 0)
                    {
                        var name = analysis.Decision.Classification.ToString().ToLowerInvariant();
                        classes[name] = classes.GetValueOrDefault(name) + 1;
                    }
                }
                intake.Add(messages.Count / watch.Elapsed.TotalSeconds);
            }
            var report = new
            {
                messages = messages.Count,
                megabytes = Math.Round(bytes / 1048576.0, 2),
                rounds,
                mimeKitParseOnlyMessagesPerSecond = Math.Round(Median(parseOnly), 1),
                intakeMessagesPerSecond = Math.Round(Median(intake), 1),
                parseAndClassifyWithoutStoreMessagesPerSecond = Math.Round(Median(withoutStore), 1),
                threadLookup = threads is NoThreads ? "none" : "database",
                classifications = classes,
            };
            if (args.Has("json"))
            {
                Console.WriteLine(JsonSerializer.Serialize(report, IntakeCommand.Json));
            }
            else
            {
                Console.WriteLine($"{report.messages} messages, {report.megabytes} MB, median of {rounds} rounds");
                Console.WriteLine($"  MimeKit parse only:                    {report.mimeKitParseOnlyMessagesPerSecond,10:0.0} messages/s");
                Console.WriteLine($"  intake (store raw, parse, classify):  {report.intakeMessagesPerSecond,10:0.0} messages/s  (thread lookup: {report.threadLookup})");
                Console.WriteLine($"  of which without the raw store:       {report.parseAndClassifyWithoutStoreMessagesPerSecond,10:0.0} messages/s");
                Console.WriteLine($"  classes: {string.Join(", ", classes.Select(c => $"{c.Key} {c.Value}"))}");
            }
            return 0;
        }
        finally
        {
            if (Directory.Exists(scratch))
            {
                Directory.Delete(scratch, recursive: true);
            }
        }
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

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
