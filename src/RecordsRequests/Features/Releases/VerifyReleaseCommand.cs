using System.Text.Json;
using RecordsRequests.Hosting.Cli;

namespace RecordsRequests.Features.Releases;

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
