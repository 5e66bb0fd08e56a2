using System.Text.Json;
using Microsoft.Extensions.Options;
using RecordsRequests.Features.Redactions;
using RecordsRequests.Hosting.Cli;

namespace RecordsRequests.Features.Releases;

/// <summary>
/// ops/records redact: applies every detector suggestion to a file or folder and writes redacted PDFs, checked by the
/// leak gate. The redacted strings go to a sibling file (&lt;out&gt;.redactions.json, never inside the output folder)
/// that verify-release reads.
/// </summary>
internal sealed class RedactCommand(IOptions<RedactionOptions> options) : ICliCommand
{
    public static string Name => "redact";
    public static string Summary => "redact files with the roster and pattern detectors; write redacted PDFs";
    public static string Usage => """
        ops/records redact --roster <students.csv> --input <file-or-folder> --out <folder> [--prefix PRR-2026-0042] [--json]
          Every suggestion is applied. Output files are named by Bates number (a file name may itself identify a student).
          The redacted strings are written to <folder>.redactions.json for ops/records verify-release.
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

        var inputs = Directory.Exists(input)
            ? Directory.EnumerateFiles(input, "*", SearchOption.AllDirectories).Where(DocumentText.IsSupported).Order(StringComparer.Ordinal).ToList()
            : [input];
        Directory.CreateDirectory(output);
        var results = new List<object>();
        var secrets = new List<RedactedSecret>();
        var produced = new List<ProducedFile>();
        var bates = 1;
        foreach (var path in inputs)
        {
            var text = DocumentText.Extract(await File.ReadAllBytesAsync(path, cancellationToken), path);
            var detection = detector.Detect(text);
            var pdf = ReleasePdfWriter.Write(text, detection.Suggestions.Select(s => new RedactedSpan(s.Start, s.End, s.ExemptionCode)).ToList(), prefix, bates);
            var name = pdf.FirstBates + ".pdf";
            await File.WriteAllBytesAsync(Path.Combine(output, name), pdf.Content, cancellationToken);
            produced.Add(new ProducedFile(name, pdf.Content));
            secrets.AddRange(detection.Suggestions.Select(s => new RedactedSecret(s.Text, $"{s.Category} from {Path.GetFileName(path)}")));
            bates += pdf.PageCount;
            results.Add(new
            {
                input = path,
                output = Path.Combine(output, name),
                pages = pdf.PageCount,
                bates = $"{pdf.FirstBates}..{pdf.LastBates}",
                redactions = detection.Suggestions.Select(s => new { category = s.Category.ToString(), exemption = s.ExemptionCode, start = s.Start, end = s.End, text = s.Text }),
                reviewFlags = detection.ReviewFlags.Select(f => new { term = f.Term, start = f.Start, end = f.End }),
            });
        }
        var secretsPath = SecretsPathFor(output);
        await File.WriteAllTextAsync(secretsPath, JsonSerializer.Serialize(secrets, ReleaseJson.Options), cancellationToken);
        var hits = ReleaseGate.Check(produced, secrets);

        if (cli.Has("json"))
        {
            Console.WriteLine(JsonSerializer.Serialize(new { files = results, leakCheck = hits.Count == 0 ? "passed" : "FAILED", leaks = hits }, ReleaseJson.Options));
        }
        else
        {
            Console.WriteLine($"{inputs.Count} file(s) redacted into {output}; redacted strings in {secretsPath}.");
            Console.WriteLine(hits.Count == 0 ? "Leak check passed." : $"LEAK CHECK FAILED: {hits.Count} hit(s).");
        }
        return hits.Count == 0 ? 0 : 1;
    }

    public static string SecretsPathFor(string folder) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)) + ".redactions.json";
}

/// <summary>ops/records verify-release: the leak gate over a folder of produced files.</summary>
internal sealed class VerifyReleaseCommand : ICliCommand
{
    public static string Name => "verify-release";
    public static string Summary => "check that no produced file contains any redacted string";
    public static string Usage => """
        ops/records verify-release <folder> [--secrets <file.json>] [--json]
          Secrets default to <folder>.redactions.json (written by ops/records redact). Exit code 1 on any hit.
        """;

    public async Task<int> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var cli = new CliArguments(arguments, new HashSet<string> { "json" });
        cli.RejectUnknown("secrets", "json");
        if (cli.Positional.Count != 1)
        {
            throw new UsageException("Name the release folder.");
        }
        var folder = cli.Positional[0];
        var secretsPath = cli.Value("secrets") ?? RedactCommand.SecretsPathFor(folder);
        if (!File.Exists(secretsPath))
        {
            throw new UsageException($"No list of redacted strings at {secretsPath}; pass --secrets.");
        }
        var secrets = JsonSerializer.Deserialize<List<RedactedSecret>>(await File.ReadAllTextAsync(secretsPath, cancellationToken), ReleaseJson.Options) ?? [];
        var files = new List<ProducedFile>();
        foreach (var path in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            files.Add(new ProducedFile(Path.GetRelativePath(folder, path), await File.ReadAllBytesAsync(path, cancellationToken)));
        }
        var hits = ReleaseGate.Check(files, secrets);
        if (cli.Has("json"))
        {
            Console.WriteLine(JsonSerializer.Serialize(new { folder, files = files.Count, secrets = secrets.Count, passed = hits.Count == 0, leaks = hits }, ReleaseJson.Options));
        }
        else
        {
            Console.WriteLine(hits.Count == 0
                ? $"{files.Count} file(s) checked against {secrets.Count} redacted string(s): no leaks."
                : $"LEAKS: {hits.Count} hit(s)");
            foreach (var hit in hits)
            {
                Console.WriteLine($"  {hit.File}: {hit.Where}: {hit.Label} ({hit.Variant})");
            }
        }
        return hits.Count == 0 ? 0 : 1;
    }
}
