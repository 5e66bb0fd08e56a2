using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RecordsRequests.Features.Documents;
using RecordsRequests.Features.Redactions;
using RecordsRequests.Features.Releases;
using RecordsRequests.TestSupport;

namespace RecordsRequests.Benchmarks;

/// <summary>
/// documents bench (issue 14): pages per second for a born-digital release (burn-in, assembly and the whole leak gate
/// on pages already read) and for reading pages (render and text layer; OCR at 300 dpi for scans), on this machine with
/// pages in parallel, each figure with the load average beside it; and recall and precision of planted identifiers on
/// generated documents and on their scans (200 dpi grey, half a degree of rotation, light blur and speckle). A planted
/// identifier counts as found when a suggestion covers it, its text equal allowing OCR noise.
/// Targets from the issue: release ≥ 4 pages/s, OCR ≥ 0.5 pages/s, recall ≥ 0.99 born-digital, scans recall ≥ 0.95
/// and precision ≥ 0.9.
/// </summary>
public static class DocumentsBench
{
    public static async Task<int> RunAsync(IReadOnlyList<string> arguments)
    {
        int Option(string name, int fallback) =>
            arguments.SkipWhile(a => a != "--" + name).Skip(1).FirstOrDefault() is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;
        var documentCount = Option("documents", 6);
        var paragraphs = Option("paragraphs", 24);
        var seed = Option("seed", 7);

        var isolation = arguments.SkipWhile(a => a != "--isolation").Skip(1).FirstOrDefault() ?? new DocumentOptions().Isolation;
        var options = Options.Create(new DocumentOptions { Isolation = isolation });
        var tools = new ExternalTools(options, NullLogger<ExternalTools>.Instance);
        // Bubblewrap runs each tool as a child of a new PID namespace's init, whose CPU time never reaches this process's
        // account of its children; unshare keeps the tools as plain children.
        countsChildren = tools.Isolation != "bubblewrap";
        var reader = new PageReader(tools, options);
        var gate = new PageLeakGate(tools, reader, options);
        var generator = new SchoolDocumentGenerator(seed);
        var roster = generator.MakeRoster(200);
        var detector = new PiiDetector(roster, new RedactionOptions { PublicContactDetails = [.. SchoolDocumentGenerator.DistrictContactDetails] });
        var documents = Enumerable.Range(0, documentCount).Select(_ => generator.MakeDocument(roster, paragraphs)).ToList();
        var pdfs = documents.Select(d => ReleasePdfWriter.Write(d.Text, "GEN", 1).Content).ToList();
        Console.WriteLine($"documents bench: {documentCount} generated documents, {paragraphs} paragraphs each, seed {seed}, {Environment.ProcessorCount} cores, tools isolated by {tools.Isolation}");

        // 1. Reading born-digital pages: render the picture, take the text layer.
        var (digital, readTiming) = await TimedAsync(() => ReadAllAsync(reader, pdfs));
        var digitalPages = digital.Sum(d => d.Pages.Count);
        Report("read born-digital pages (render 150 dpi + text layer)", digitalPages, readTiming, null);

        // 2. Release: burn in every suggestion, assemble, and run the whole gate (text, pixels) on what was produced.
        var (released, releaseTiming) = await TimedAsync(async () =>
        {
            var count = 0;
            foreach (var read in digital)
            {
                count += await ReleaseAsync(read, detector, gate);
            }
            return count;
        });
        Report("born-digital release (burn-in, assemble, leak gate)", released, releaseTiming, "target ≥ 4 pages/s");

        // 3. Scans: every page rendered at 200 dpi grey and degraded, then read by OCR at 300 dpi.
        var scans = new List<byte[]>();
        foreach (var read in digital)
        {
            scans.Add(ScanSimulator.ImagePdf(await ScanPagesAsync(tools, options.Value, pdfs[scans.Count], read.Pages.Count, seed), 200));
        }
        var (scanned, ocrTiming) = await TimedAsync(() => ReadAllAsync(reader, scans));
        Report("OCR of scanned pages (300 dpi, one tesseract thread per page)", scanned.Sum(s => s.Pages.Count), ocrTiming, "target ≥ 0.5 pages/s");

        var digitalScore = Measure(documents, digital, detector);
        var scanScore = Measure(documents, scanned, detector);
        Console.WriteLine($"born-digital: planted {digitalScore.Planted}, found {digitalScore.Found}, recall {digitalScore.Recall:0.000} (target ≥ 0.99), precision {digitalScore.Precision:0.000}");
        Console.WriteLine($"scans:        planted {scanScore.Planted}, found {scanScore.Found}, recall {scanScore.Recall:0.000} (target ≥ 0.95), precision {scanScore.Precision:0.000} (target ≥ 0.9)");
        foreach (var (category, missed) in scanScore.MissedByCategory.OrderByDescending(m => m.Value))
        {
            Console.WriteLine($"  missed on scans: {category} × {missed}");
        }
        return 0;
    }

    private sealed record ReadDocument(IReadOnlyList<ReadPage> Pages, PagedText Text);

    private sealed record Score(int Planted, int Found, double Recall, double Precision, Dictionary<string, int> MissedByCategory);

    private static async Task<List<ReadDocument>> ReadAllAsync(PageReader reader, IReadOnlyList<byte[]> pdfs)
    {
        // Documents one after another; the reader runs each document's pages in parallel, as the background job does.
        var read = new List<ReadDocument>();
        foreach (var pdf in pdfs)
        {
            var scratch = Directory.CreateTempSubdirectory("records-bench-").FullName;
            try
            {
                var pages = await reader.ReadAsync(pdf, scratch, null, CancellationToken.None);
                read.Add(new ReadDocument(pages, PagedText.Build(pages.Select(p => DocumentPage.Create(Guid.Empty, p.Number, p.Width, p.Height, "", p.HasColour, p.TextSource, p.Words)))));
            }
            finally
            {
                Directory.Delete(scratch, recursive: true);
            }
        }
        return read;
    }

    private static async Task<int> ReleaseAsync(ReadDocument read, PiiDetector detector, PageLeakGate gate)
    {
        var suggestions = detector.Detect(read.Text.Text).Suggestions;
        var boxes = suggestions.SelectMany(s => read.Text.BoxesFor(s.Start, s.End).Select(b => new BurnBox(Guid.NewGuid(), b.Inflate(Redaction.BoxMargin), s.ExemptionCode))).ToList();
        var pdf = PageReleaseWriter.Write(read.Pages.Select(p => new SourcePage(p.Number, p.Width, p.Height, p.Png, p.HasColour, p.Words)).ToList(), boxes, "BENCH", 1);
        var file = new ProducedFile("BENCH.pdf", pdf.Content);
        var secrets = suggestions.Select(s => new RedactedSecret(s.Text, s.Category.ToString())).ToList();
        var hits = ReleaseGate.Check([file], secrets).Concat(await gate.CheckAsync([new ReleasedRecordFile(file, pdf.Boxes, false, secrets, "BENCH", 1)], CancellationToken.None)).ToList();
        if (hits.Count > 0)
        {
            var kept = Path.Combine(Path.GetTempPath(), $"documents-bench-blocked-{Guid.NewGuid():N}.pdf");
            await File.WriteAllBytesAsync(kept, pdf.Content);
            throw new InvalidOperationException($"The gate found {hits.Count} leak(s) in a generated release ({kept}): " +
                string.Join("; ", hits.Select(h => $"{h.Where} {h.Label} {h.Variant}")));
        }
        return pdf.PageCount;
    }

    /// <summary>
    /// Planted identifiers found (a suggestion's text equals the planted text, white space aside, allowing one OCR
    /// error in eight characters), and the share of suggestions that are planted identifiers.
    /// </summary>
    private static Score Measure(IReadOnlyList<GeneratedDocument> documents, IReadOnlyList<ReadDocument> read, PiiDetector detector)
    {
        int planted = 0, found = 0, predicted = 0, correct = 0;
        var missed = new Dictionary<string, int>();
        for (var i = 0; i < documents.Count; i++)
        {
            var truth = documents[i].Planted.Select(p => (Text: Normalise(documents[i].Text[p.Start..p.End]), p.Category)).ToList();
            var suggestions = detector.Detect(read[i].Text.Text).Suggestions.Select(s => Normalise(s.Text)).ToList();
            planted += truth.Count;
            foreach (var item in truth)
            {
                if (suggestions.Any(s => Covers(s, item.Text)))
                {
                    found++;
                }
                else
                {
                    missed[item.Category.ToString()] = missed.GetValueOrDefault(item.Category.ToString()) + 1;
                }
            }
            predicted += suggestions.Count;
            correct += suggestions.Count(s => truth.Any(t => Covers(s, t.Text) || Covers(t.Text, s)));
        }
        return new Score(planted, found, planted == 0 ? 1 : (double)found / planted, predicted == 0 ? 1 : (double)correct / predicted, missed);
    }

    private static string Normalise(string text) => Regex.Replace(text, @"\s+", " ").Trim();

    /// <summary>Whether a suggestion's text holds the planted text, allowing one edit in eight characters (OCR noise).</summary>
    private static bool Covers(string suggestion, string planted)
    {
        if (suggestion.Contains(planted, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        var allowed = Math.Max(1, planted.Length / 8);
        for (var start = 0; start + planted.Length - allowed <= suggestion.Length; start++)
        {
            for (var length = planted.Length - allowed; length <= planted.Length + allowed && start + length <= suggestion.Length; length++)
            {
                if (length > 0 && Distance(suggestion.Substring(start, length), planted) <= allowed)
                {
                    return true;
                }
            }
        }
        return false;
    }

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            previous = current;
        }
        return previous[b.Length];
    }

    private sealed record Timing(double Seconds, double CpuSeconds, string Load);

    private static bool countsChildren;

    private static async Task<(T Result, Timing Timing)> TimedAsync<T>(Func<Task<T>> work)
    {
        var cpu = CpuSeconds();
        var watch = Stopwatch.StartNew();
        var result = await work();
        watch.Stop();
        return (result, new Timing(watch.Elapsed.TotalSeconds, CpuSeconds() - cpu, LoadAverage()));
    }

    /// <summary>
    /// Pages per second, and the CPU seconds a page cost (this process and the pdftoppm and tesseract it waited for):
    /// on a shared machine the wall-clock rate follows the neighbours' load, while the CPU cost gives the rate the
    /// machine's cores would reach alone (cores ÷ CPU seconds a page).
    /// </summary>
    private static void Report(string what, int pages, Timing timing, string? target)
    {
        var cost = countsChildren
            ? string.Create(CultureInfo.InvariantCulture,
                $"{timing.CpuSeconds / pages:0.00} CPU s a page = {Environment.ProcessorCount * pages / timing.CpuSeconds:0.00} pages/s on {Environment.ProcessorCount} idle cores")
            : "CPU per page not counted under bubblewrap (--isolation unshare counts it)";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: {pages} pages in {timing.Seconds:0.0} s = {pages / timing.Seconds:0.00} pages/s (load average {timing.Load}); {cost}{(target is null ? "" : $"; {target}")}"));
    }

    /// <summary>User and system time of this process and of its waited-for children, from /proc/self/stat.</summary>
    private static double CpuSeconds()
    {
        if (!File.Exists("/proc/self/stat"))
        {
            return Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        }
        var stat = File.ReadAllText("/proc/self/stat");
        // Fields after the command name in parentheses: state is field 3, utime 14, stime 15, cutime 16, cstime 17.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = Enumerable.Range(11, 4).Sum(i => long.Parse(fields[i], CultureInfo.InvariantCulture));
        return ticks / 100.0;
    }

    /// <summary>The 1-, 5- and 15-minute load averages when the figure was taken: a busy neighbour shows here.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static async Task<List<byte[]>> ScanPagesAsync(ExternalTools tools, DocumentOptions options, byte[] pdf, int pageCount, int seed)
    {
        var folder = Directory.CreateTempSubdirectory("records-bench-scan-").FullName;
        try
        {
            var path = Path.Combine(folder, "in.pdf");
            await File.WriteAllBytesAsync(path, pdf);
            var pages = new List<byte[]>();
            for (var page = 1; page <= pageCount; page++)
            {
                pages.Add(ScanSimulator.Degrade(await PageImages.RenderAsync(tools, options, path, page, 200, grey: true, folder, CancellationToken.None), seed + page));
            }
            return pages;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
