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
/// <c>ops/benchmark intake bench &lt;folder&gt;</c>: messages per second through intake's raw-first store and its reading and
/// classifying (nothing is sent and no request opened), one message at a time as SMTP delivers them and a batch at a
/// time as a newly connected mailbox catches up, beside MimeKit's parse-only rate on the same messages in the same run.
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
        try
        {
            // Warm-up: JIT and the sanitizer's first use are not what is measured.
            foreach (var message in messages.Take(50))
            {
                ParseOnly(message, cancellationToken);
                await analyzer.AnalyzeAsync(message, threads, cancellationToken);
            }
            var sharedThreads = new OneAtATime(threads);
            var parseOnly = new List<double>();
            var withoutStore = new List<double>();
            var oneByOne = new List<double>();
            var catchingUp = new List<double>();
            var catchingUpCpu = new List<double>();
            var classes = new SortedDictionary<string, int>(StringComparer.Ordinal);
            var loadBefore = ArchiveRealBenchCommand.LoadAverage();
            for (var round = 0; round < rounds; round++)
            {
                var watch = Stopwatch.StartNew();
                foreach (var message in messages)
                {
                    ParseOnly(message, cancellationToken);
                }
                parseOnly.Add(messages.Count / watch.Elapsed.TotalSeconds);

                // The same work without the durable raw store, to show what storing costs.
                watch.Restart();
                foreach (var message in messages)
                {
                    await analyzer.AnalyzeAsync(message, threads, cancellationToken);
                }
                withoutStore.Add(messages.Count / watch.Elapsed.TotalSeconds);

                // One message at a time, as an SMTP delivery arrives: stored and synced, then read and classified.
                var roundStore = new ContentStore(Options.Create(new RecordsOptions { DataPath = Path.Combine(scratch, $"one-{round}") }));
                watch.Restart();
                foreach (var message in messages)
                {
                    await roundStore.PutAsync(message, cancellationToken);
                    await analyzer.AnalyzeAsync(message, threads, cancellationToken);
                }
                oneByOne.Add(messages.Count / watch.Elapsed.TotalSeconds);

                // A newly connected mailbox catching up: fetched a batch at a time, each batch's originals stored and
                // synced together (MailIntake.ReceiveBatchAsync), read and classified on every core. The spam verdict is the
                // provider's, read from its header by the classifier; nothing is scored here.
                var batchStore = new ContentStore(Options.Create(new RecordsOptions { DataPath = Path.Combine(scratch, $"batch-{round}") }));
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                watch.Restart();
                foreach (var batch in messages.Chunk(100))
                {
                    await batchStore.PutBatchAsync(batch, cancellationToken);
                    var decisions = new IntakeClassification[batch.Length];
                    await Parallel.ForEachAsync(Enumerable.Range(0, batch.Length),
                        new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken },
                        async (i, token) => decisions[i] = (await analyzer.AnalyzeAsync(batch[i], sharedThreads, token)).Decision.Classification);
                    if (round == 0)
                    {
                        foreach (var decision in decisions)
                        {
                            var name = decision.ToString().ToLowerInvariant();
                            classes[name] = classes.GetValueOrDefault(name) + 1;
                        }
                    }
                }
                catchingUp.Add(messages.Count / watch.Elapsed.TotalSeconds);
                catchingUpCpu.Add(1000 * (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds / messages.Count);
            }
            var report = new
            {
                messages = messages.Count,
                megabytes = Math.Round(bytes / 1048576.0, 2),
                rounds,
                mimeKitParseOnlyMessagesPerSecond = Math.Round(Median(parseOnly), 1),
                catchingUpMessagesPerSecond = Math.Round(Median(catchingUp), 1),
                catchingUpCpuSecondsPerThousand = Math.Round(Median(catchingUpCpu), 3),
                oneAtATimeMessagesPerSecond = Math.Round(Median(oneByOne), 1),
                parseAndClassifyWithoutStoreMessagesPerSecond = Math.Round(Median(withoutStore), 1),
                threadLookup = threads is NoThreads ? "none" : "database",
                classifications = classes,
                cores = Environment.ProcessorCount,
                loadAverageBefore = loadBefore,
                loadAverageAfter = ArchiveRealBenchCommand.LoadAverage(),
                peakResidentMegabytes = Math.Round(ArchiveRealBenchCommand.PeakResident() / 1048576.0, 0),
            };
            if (args.Has("json"))
            {
                Console.WriteLine(JsonSerializer.Serialize(report, IntakeCommand.Json));
            }
            else
            {
                Console.WriteLine($"{report.messages} messages, {report.megabytes} MB, median of {rounds} rounds, {report.cores} cores, load average {report.loadAverageBefore} before, {report.loadAverageAfter} after");
                Console.WriteLine($"  MimeKit parse only (one core):                            {report.mimeKitParseOnlyMessagesPerSecond,10:0.0} messages/s");
                Console.WriteLine($"  catching up (batches of 100 stored durably with one sync,");
                Console.WriteLine($"    read and classified on every core):                    {report.catchingUpMessagesPerSecond,10:0.0} messages/s, {report.catchingUpCpuSecondsPerThousand:0.000} CPU s per 1,000");
                Console.WriteLine($"  one at a time (stored durably, then classified):          {report.oneAtATimeMessagesPerSecond,10:0.0} messages/s  (thread lookup: {report.threadLookup})");
                Console.WriteLine($"  read and classified without the store (one core):         {report.parseAndClassifyWithoutStoreMessagesPerSecond,10:0.0} messages/s");
                Console.WriteLine($"  classes: {string.Join(", ", classes.Select(c => $"{c.Key} {c.Value}"))}; peak resident memory {report.peakResidentMegabytes} MB");
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

    /// <summary>The database thread lookup holds one connection: the cores that classify take turns with it.</summary>
    private sealed class OneAtATime(IThreadLookup inner) : IThreadLookup
    {
        private readonly SemaphoreSlim _turn = new(1, 1);

        private async Task<ThreadMatch?> InTurnAsync(Func<Task<ThreadMatch?>> lookup, CancellationToken cancellationToken)
        {
            await _turn.WaitAsync(cancellationToken);
            try
            {
                return await lookup();
            }
            finally
            {
                _turn.Release();
            }
        }

        public Task<ThreadMatch?> ByReplyTokensAsync(IReadOnlyCollection<string> tokens, CancellationToken cancellationToken) =>
            InTurnAsync(() => inner.ByReplyTokensAsync(tokens, cancellationToken), cancellationToken);

        public Task<ThreadMatch?> ByMessageIdsAsync(IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken) =>
            InTurnAsync(() => inner.ByMessageIdsAsync(messageIds, cancellationToken), cancellationToken);

        public Task<ThreadMatch?> ByTrackingNumberAsync(string trackingNumber, CancellationToken cancellationToken) =>
            InTurnAsync(() => inner.ByTrackingNumberAsync(trackingNumber, cancellationToken), cancellationToken);

        public Task<ThreadMatch?> ByRequesterSubjectAsync(string senderAddress, string normalizedSubject, CancellationToken cancellationToken) =>
            InTurnAsync(() => inner.ByRequesterSubjectAsync(senderAddress, normalizedSubject, cancellationToken), cancellationToken);
    }
}
