using System.Text.Json;
using Microsoft.Extensions.Options;
using RecordsRequests.Features.Documents;
using RecordsRequests.Features.Redactions;
using RecordsRequests.Hosting.Cli;

namespace RecordsRequests.Features.Releases;

/// <summary>
/// ops/records redact: makes every file of a folder (any kind the records page takes: PDF, scans, pictures, Office files,
/// e-mail with its attachments, text) into pages, applies every detector suggestion, and writes burned-in PDFs checked
/// by the whole leak gate (text, pixels, OCR again). The redacted strings go to a sibling file (&lt;out&gt;.redactions.json,
/// never inside the output folder) that verify-release reads. A file that cannot be made into pages is listed with its
/// reason and the command exits 2; nothing is skipped silently.
/// </summary>
internal sealed class RedactCommand(IOptions<RedactionOptions> options, DocumentConverter converter, PageReader reader, PageLeakGate pageGate) : ICliCommand
{
    public static string Name => "redact";
    public static string Summary => "redact files of any kind with the roster and pattern detectors; write burned-in PDFs";
    public static string Usage => """
        ops/records redact --roster <students.csv> --input <file-or-folder> --out <folder> [--prefix PRR-2026-0042] [--json]
          Every suggestion is applied. Output files are named by Bates number (a file name may itself identify a student).
          The redacted strings are written to <folder>.redactions.json for ops/records verify-release.
          Exit code: 0 released clean, 1 the leak gate found something, 2 some input could not be read (listed).
        """;

    public async Task<int> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var cli = new CliArguments(arguments, new HashSet<string> { "json" });
        cli.RejectUnknown("roster", "input", "out", "prefix", "json");
        var input = cli.Value("input") ?? throw new UsageException("--input is required.");
        var output = cli.Value("out") ?? throw new UsageException("--out is required.");
        var prefix = cli.Value("prefix") ?? "REDACTED";
        var roster = cli.Value("roster") is { } rosterPath ? Roster.Load(rosterPath) : null;
        var detector = new PiiDetector(roster, options.Value);

        var queue = new Queue<(string Name, Func<Task<byte[]>> Read)>((Directory.Exists(input)
                ? Directory.EnumerateFiles(input, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList()
                : [input])
            .Select(path => (path, (Func<Task<byte[]>>)(() => File.ReadAllBytesAsync(path, cancellationToken)))));
        Directory.CreateDirectory(output);
        var results = new List<object>();
        var failures = new List<object>();
        var secrets = new List<RedactedSecret>();
        var produced = new List<ProducedFile>();
        var released = new List<ReleasedRecordFile>();
        var bates = 1;
        while (queue.TryDequeue(out var item))
        {
            var scratch = Directory.CreateTempSubdirectory("records-redact-").FullName;
            try
            {
                var rendition = await converter.ConvertAsync(await item.Read(), item.Name, scratch, cancellationToken);
                foreach (var child in rendition.Children)
                {
                    // An attachment follows its e-mail, named after both.
                    queue.Enqueue(($"{item.Name} » {child.FileName}", () => Task.FromResult(child.Content)));
                }
                var pages = await reader.ReadAsync(rendition.Pdf, scratch, null, cancellationToken);
                var text = PagedText.Build(pages.Select(p => DocumentPage.Create(Guid.Empty, p.Number, p.Width, p.Height, "", p.HasColour, p.TextSource, p.Words)));
                var detection = detector.Detect(text.Text);
                var placed = detection.Suggestions.Select(s => (Suggestion: s, Id: Guid.NewGuid(),
                    Boxes: text.BoxesFor(s.Start, s.End).Select(b => b.Inflate(Redaction.BoxMargin)).ToList())).ToList();
                var pdf = PageReleaseWriter.Write(pages.Select(p => new SourcePage(p.Number, p.Width, p.Height, p.Png, p.HasColour, p.Words)).ToList(),
                    placed.SelectMany(p => p.Boxes.Select(b => new BurnBox(p.Id, b, p.Suggestion.ExemptionCode))).ToList(), prefix, bates);
                var name = pdf.FirstBates + ".pdf";
                await File.WriteAllBytesAsync(Path.Combine(output, name), pdf.Content, cancellationToken);
                var file = new ProducedFile(name, pdf.Content);
                var fileSecrets = detection.Suggestions.Select(s => new RedactedSecret(s.Text, $"{s.Category} from {Path.GetFileName(item.Name)}")).ToList();
                produced.Add(file);
                secrets.AddRange(fileSecrets);
                released.Add(new ReleasedRecordFile(file, pdf.Boxes, pages.Any(p => p.TextSource == PageTextSource.Ocr), fileSecrets, prefix, bates));
                bates += pdf.PageCount;
                results.Add(new
                {
                    input = item.Name,
                    output = Path.Combine(output, name),
                    pages = pdf.PageCount,
                    ocrPages = pages.Count(p => p.TextSource == PageTextSource.Ocr),
                    bates = $"{pdf.FirstBates}..{pdf.LastBates}",
                    redactions = placed.SelectMany(p => p.Boxes.Select(b => new
                    {
                        category = p.Suggestion.Category.ToString(),
                        exemption = p.Suggestion.ExemptionCode,
                        start = p.Suggestion.Start,
                        end = p.Suggestion.End,
                        text = p.Suggestion.Text,
                        page = b.Page,
                        box = new { x = Math.Round(b.X, 2), y = Math.Round(b.Y, 2), width = Math.Round(b.Width, 2), height = Math.Round(b.Height, 2) },
                    })),
                    reviewFlags = detection.ReviewFlags.Select(f => new { term = f.Term, start = f.Start, end = f.End }),
                });
            }
            catch (ConversionFailedException e)
            {
                failures.Add(new { input = item.Name, reason = e.Message });
            }
            finally
            {
                Directory.Delete(scratch, recursive: true);
            }
        }
        var secretsPath = SecretsPathFor(output);
        await File.WriteAllTextAsync(secretsPath, JsonSerializer.Serialize(secrets, ReleaseJson.Options), cancellationToken);
        var hits = ReleaseGate.Check(produced, secrets).Concat(await pageGate.CheckAsync(released, cancellationToken)).ToList();

        if (cli.Has("json"))
        {
            Console.WriteLine(JsonSerializer.Serialize(new { files = results, failed = failures, leakCheck = hits.Count == 0 ? "passed" : "FAILED", leaks = hits },
                ReleaseJson.Options));
        }
        else
        {
            Console.WriteLine($"{results.Count} file(s) redacted into {output}; redacted strings in {secretsPath}.");
            foreach (var failure in failures)
            {
                Console.WriteLine($"  not redacted: {failure}");
            }
            Console.WriteLine(hits.Count == 0 ? "Leak check passed." : $"LEAK CHECK FAILED: {hits.Count} hit(s).");
        }
        return hits.Count > 0 ? 1 : failures.Count > 0 ? 2 : 0;
    }

    public static string SecretsPathFor(string folder) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)) + ".redactions.json";
}
