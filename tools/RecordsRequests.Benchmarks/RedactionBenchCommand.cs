using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using RecordsRequests.Features.Redactions;
using RecordsRequests.Hosting;
using RecordsRequests.Hosting.Cli;
using RecordsRequests.TestSupport;

namespace RecordsRequests.Benchmarks;

/// <summary>
/// ops/benchmark redact bench: detection throughput, recall and precision on generated school documents, beside the
/// naive baseline (one regular expression per roster name) measured in the same run.
/// </summary>
internal sealed class RedactionBenchCommand(IOptions<RedactionOptions> options) : ICliCommand
{
    public static string Name => "redact bench";
    public static string Summary => "benchmark redaction detection (throughput, recall, precision) against a naive baseline";
    public static string Usage => "ops/benchmark redact bench [--students 5000] [--documents 4000] [--baseline-documents 200] [--seed 20260042] [--warmup 3] [--passes 3] [--breakdown] [--json]";

    public Task<int> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var cli = new CliArguments(arguments, new HashSet<string> { "json", "breakdown" });
        cli.RejectUnknown("students", "documents", "baseline-documents", "seed", "warmup", "passes", "breakdown", "json");
        int Number(string name, int fallback) => cli.Value(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var students = Number("students", 5000);
        var documentCount = Number("documents", 4000);
        var baselineCount = Number("baseline-documents", 200);
        var seed = Number("seed", 20260042);
        var warmupPasses = Number("warmup", 3);
        var timedPasses = Math.Max(1, Number("passes", 3));

        var generator = new SchoolDocumentGenerator(seed);
        var roster = generator.MakeRoster(students);
        var documents = Enumerable.Range(0, documentCount).Select(_ => generator.MakeDocument(roster, 12)).ToList();
        var megabytes = documents.Sum(d => (double)Encoding.UTF8.GetByteCount(d.Text)) / 1_000_000;
        var timedMegabytes = megabytes * timedPasses;

        var build = Stopwatch.StartNew();
        // The district lists its own public address and main number (Redaction:PublicContactDetails) so they are not redacted.
        var settings = new RedactionOptions
        {
            StudentIdPatterns = options.Value.StudentIdPatterns,
            PersonalEmailDomains = options.Value.PersonalEmailDomains,
            PublicContactDetails = [.. options.Value.PublicContactDetails, .. SchoolDocumentGenerator.DistrictContactDetails],
        };
        var detector = new PiiDetector(roster, settings);
        build.Stop();
        // Warm-up passes, untimed: tiered JIT (tier 0, instrumented, then optimised code, compiled in the background,
        // late on a loaded machine) and regex compilation are start-up cost, not the steady throughput of a server.
        for (var pass = 0; pass < warmupPasses; pass++)
        {
            foreach (var document in documents)
            {
                detector.Detect(document.Text);
            }
        }
        // Recall and precision from an untimed pass: keeping every record's suggestions alive through the timed passes
        // would time the garbage collector promoting them, which a server that stores and drops them does not pay.
        var results = documents.Select(d => detector.Detect(d.Text).Suggestions).ToList();

        // Where the time goes, per pass, in a separate untimed run so the clock reads do not slow the measured one.
        PassTimes? timings = null;
        if (cli.Has("breakdown"))
        {
            // The detector's passes are traced (Tracing.Detection); listening to them is what costs, so only here.
            using var listening = new PassTimes(Tracing.DetectionSourceName);
            foreach (var document in documents)
            {
                detector.Detect(document.Text);
            }
            listening.Recording = false;
            timings = listening;
        }

        var planted = 0;
        var found = 0;
        var predicted = 0;
        var correct = 0;
        var missedByCategory = new Dictionary<string, int>();
        // CPU time beside wall time: on a shared machine the wall clock measures the neighbours too.
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        for (var pass = 0; pass < timedPasses; pass++)
        {
            foreach (var document in documents)
            {
                detector.Detect(document.Text);
            }
        }
        watch.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        for (var i = 0; i < documents.Count; i++)
        {
            var truth = documents[i].Planted;
            var suggestions = results[i];
            planted += truth.Count;
            foreach (var item in truth)
            {
                if (suggestions.Any(s => s.Start <= item.Start && s.End >= item.End))
                {
                    found++;
                }
                else
                {
                    missedByCategory[item.Category.ToString()] = missedByCategory.GetValueOrDefault(item.Category.ToString()) + 1;
                }
            }
            predicted += suggestions.Count;
            correct += suggestions.Count(s => truth.Any(t => s.Start < t.End && t.Start < s.End));
        }

        // Without a roster, as on a letter from a district that has not loaded one: recall of what a reader finds by context
        // or form alone (announced IDs, dates of birth, unlisted students, numbers), precision of everything suggested.
        var bare = new PiiDetector(null, settings);
        var bareFound = 0;
        var barePlanted = 0;
        var barePredicted = 0;
        var bareCorrect = 0;
        foreach (var document in documents)
        {
            var suggestions = bare.Detect(document.Text).Suggestions;
            foreach (var item in document.Planted.Where(p => !p.NeedsRoster))
            {
                barePlanted++;
                bareFound += suggestions.Any(s => s.Start <= item.Start && s.End >= item.End) ? 1 : 0;
            }
            barePredicted += suggestions.Count;
            bareCorrect += suggestions.Count(s => document.Planted.Any(t => s.Start < t.End && t.Start < s.End));
        }

        // Naive baseline: one case-insensitive regular expression per roster name ("First Last"), each scanning the text.
        var baselineDocuments = documents.Take(baselineCount).Select(d => d.Text).ToList();
        var baselineMegabytes = baselineDocuments.Sum(d => (double)Encoding.UTF8.GetByteCount(d)) / 1_000_000;
        var patterns = roster.Students.Select(s => new Regex(@"\b" + Regex.Escape(s.FirstName) + @"\s+" + Regex.Escape(s.LastName) + @"\b",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)).ToList();
        foreach (var pattern in patterns)
        {
            pattern.IsMatch(baselineDocuments[0]); // the same warm-up courtesy for the baseline
        }
        var baselineCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var baselineWatch = Stopwatch.StartNew();
        var baselineHits = 0;
        foreach (var text in baselineDocuments)
        {
            foreach (var pattern in patterns)
            {
                baselineHits += pattern.Count(text);
            }
        }
        baselineWatch.Stop();
        var baselineCpu = Process.GetCurrentProcess().TotalProcessorTime - baselineCpuBefore;

        var report = new
        {
            seed,
            students,
            documents = documentCount,
            megabytes = Math.Round(megabytes, 2),
            rosterPatterns = "built in " + build.ElapsedMilliseconds.ToString(CultureInfo.InvariantCulture) + " ms",
            warmupPasses,
            timedPasses,
            detectionSeconds = Math.Round(watch.Elapsed.TotalSeconds, 3),
            detectionMegabytesPerSecond = Math.Round(timedMegabytes / watch.Elapsed.TotalSeconds, 1),
            detectionCpuSeconds = Math.Round(cpu.TotalSeconds, 3),
            detectionMegabytesPerCpuSecond = Math.Round(timedMegabytes / cpu.TotalSeconds, 1),
            planted,
            recall = Math.Round((double)found / planted, 4),
            precision = Math.Round((double)correct / Math.Max(1, predicted), 4),
            missedByCategory,
            withoutRoster = new
            {
                planted = barePlanted,
                recall = Math.Round((double)bareFound / Math.Max(1, barePlanted), 4),
                precision = Math.Round((double)bareCorrect / Math.Max(1, barePredicted), 4),
            },
            breakdownMilliseconds = timings?.Passes.ToDictionary(p => p.Pass, p => Math.Round(p.Elapsed.TotalMilliseconds, 1)),
            baseline = new
            {
                description = $"one Regex per roster name ({patterns.Count} patterns, interpreted, IgnoreCase)",
                documents = baselineDocuments.Count,
                megabytes = Math.Round(baselineMegabytes, 2),
                seconds = Math.Round(baselineWatch.Elapsed.TotalSeconds, 3),
                megabytesPerSecond = Math.Round(baselineMegabytes / baselineWatch.Elapsed.TotalSeconds, 3),
                cpuSeconds = Math.Round(baselineCpu.TotalSeconds, 3),
                megabytesPerCpuSecond = Math.Round(baselineMegabytes / baselineCpu.TotalSeconds, 3),
                hits = baselineHits,
            },
            note = "single thread; run on a shared machine, so figures vary between runs",
        };
        if (cli.Has("json"))
        {
            Console.WriteLine(JsonSerializer.Serialize(report, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
        }
        else
        {
            Console.WriteLine($"Corpus: {documentCount} documents, {report.megabytes} MB, {planted} planted identifiers, roster of {students} (seed {seed}).");
            Console.WriteLine($"Timed: {timedPasses} pass(es) over the corpus after {warmupPasses} untimed warm-up pass(es), one thread.");
            Console.WriteLine($"{"",-10} {"MB/CPU-s",10} {"MB/s wall",10} {"recall",8} {"precision",10}");
            Console.WriteLine($"{"detector",-10} {report.detectionMegabytesPerCpuSecond,10} {report.detectionMegabytesPerSecond,10} {report.recall,8} {report.precision,10}");
            Console.WriteLine($"{"no roster",-10} {"-",10} {"-",10} {report.withoutRoster.recall,8} {report.withoutRoster.precision,10}   (recall of the {barePlanted} identifiers found without a roster)");
            Console.WriteLine($"{"baseline",-10} {report.baseline.megabytesPerCpuSecond,10} {report.baseline.megabytesPerSecond,10} {"-",8} {"-",10}");
            Console.WriteLine($"Baseline: {report.baseline.description}, on {report.baseline.megabytes} MB.");
            foreach (var (pass, elapsed) in timings?.Passes ?? [])
            {
                Console.WriteLine(FormattableString.Invariant($"  pass {pass}: {elapsed.TotalMilliseconds:F1} ms wall ({megabytes / elapsed.TotalSeconds:F1} MB/s)"));
            }
            foreach (var (category, count) in missedByCategory)
            {
                Console.WriteLine($"  missed {category}: {count}");
            }
        }
        return Task.FromResult(0);
    }
}
