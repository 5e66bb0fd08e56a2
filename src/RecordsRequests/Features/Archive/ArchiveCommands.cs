using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using RecordsRequests.Hosting;
using RecordsRequests.Hosting.Cli;

namespace RecordsRequests.Features.Archive;

internal sealed class ArchiveImportCommand(ArchiveImporter importer, VaultImporter vault, IOptions<RecordsOptions> records) : ICliCommand
{
    public static string Name => "archive import";
    public static string Summary => "import an mbox, .eml folder, .pst, documents or a Google Vault export into the archive search index";
    public static string Usage => """
        ops/records archive import <path> --custodian <name>
          <path>  an mbox file, a .pst, a .eml file or document (PDF, DOCX, TXT, HTML), a folder of any of these, or a zip of them
                  A Google Vault export (a folder or zip with the mbox files and export_name-metadata.xml) keeps each
                  message's Vault account as its custodian, with its labels and Vault ids; --custodian is then needed
                  only for mail the metadata names no account for.
          Re-running an import, or running it again after it was stopped, skips what is already imported.
        """;

    public async Task<int> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var args = new CliArguments(arguments, new HashSet<string>());
        args.RejectUnknown("custodian");
        if (args.Positional.Count != 1)
        {
            throw new UsageException("Give exactly one path to import.");
        }
        var path = Path.GetFullPath(args.Positional[0]);
        var custodian = args.Value("custodian");
        ImportReport report;
        try
        {
            // A zip is opened in the data folder, at a place named after the zip's path, so a second run resumes the first.
            var source = ArchiveZip.IsZip(path)
                ? ArchiveZip.Unpack(path, Path.Combine(Path.GetFullPath(records.Value.DataPath), "imports",
                    "zip-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(path)))[..16]))
                : path;
            if (VaultExport.MetadataFile(source) is not null)
            {
                report = await vault.ImportAsync(source, custodian, Console.Error, cancellationToken);
            }
            else
            {
                report = await importer.ImportAsync(source, custodian ?? throw new UsageException("--custodian is required: whose mailbox or files are these?"),
                    Console.Error, cancellationToken);
            }
        }
        catch (Exception e) when (e is InvalidDataException or FileNotFoundException)
        {
            // Not a usage mistake and not a fault of ours: a file that is not what it claims, said in words.
            Console.Error.WriteLine(e.Message);
            return 1;
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Imported {report.NewItems} new items, {report.Duplicates} duplicates of items already in the archive, {report.AlreadyImported} already imported, {report.Failures.Count} failed, in {report.Elapsed.TotalSeconds:F1} s."));
        return report.Failures.Count == 0 ? 0 : 1;
    }
}

internal sealed class ArchiveSearchCommand(ArchiveSearch search) : ICliCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static string Name => "archive search";
    public static string Summary => "search the archive (Lucene query syntax)";
    public static string Usage => """
        ops/records archive search "<query>" [--from yyyy-MM-dd] [--to yyyy-MM-dd] [--custodian <name>] [--limit N] [--sort relevance|newest|oldest] [--json]
        """;

    public Task<int> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var args = new CliArguments(arguments, new HashSet<string> { "json" });
        args.RejectUnknown("from", "to", "custodian", "limit", "sort", "json");
        if (args.Positional.Count != 1)
        {
            throw new UsageException("Give the query as one argument (quote it).");
        }
        var query = new ArchiveQuery(args.Positional[0], Date(args, "from"), Date(args, "to"), args.Value("custodian"),
            args.Value("sort") switch
            {
                null or "relevance" => ArchiveSort.Relevance,
                "newest" => ArchiveSort.NewestFirst,
                "oldest" => ArchiveSort.OldestFirst,
                var other => throw new UsageException($"Unknown sort '{other}'."),
            },
            PageSize: args.Value("limit") is { } limit
                ? int.TryParse(limit, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new UsageException("--limit must be a positive number.")
                : 20);
        ArchiveResult result;
        try
        {
            result = search.Search(query);
        }
        catch (ArchiveQueryException e)
        {
            Console.Error.WriteLine(e.Message);
            return Task.FromResult(2);
        }
        if (args.Has("json"))
        {
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                total = result.TotalHits,
                estimatedPages = result.Fee.EstimatedPages,
                attachments = result.Fee.Attachments,
                hits = result.Hits.Select(h => new
                {
                    id = h.Id,
                    messageId = h.MessageId,
                    subject = h.Subject,
                    date = h.Date,
                    custodians = h.Custodians,
                    score = h.Score,
                }),
            }, Json));
        }
        else
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{result.TotalHits} hits, about {result.Fee.EstimatedPages} pages, {result.Fee.Attachments} attachments"));
            foreach (var hit in result.Hits)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{hit.Date:yyyy-MM-dd}  {hit.Score,6:F2}  [{string.Join(", ", hit.Custodians)}]  {hit.Subject}  <{hit.MessageId}>  {hit.Id}"));
            }
        }
        return Task.FromResult(0);
    }

    private static DateOnly? Date(CliArguments args, string name) =>
        args.Value(name) is not { } value ? null
        : DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date
        : throw new UsageException($"--{name} must be a date like 2024-09-01.");
}

internal sealed class ReindexCommand(ArchiveIndexer indexer, ArchiveIndex index) : ICliCommand
{
    public static string Name => "reindex";
    public static string Summary => "rebuild the archive search index from the stored originals";
    public static string Usage => "ops/records reindex [--if-outdated]    --if-outdated: only when the index was built by an earlier version (ops/run uses this)";

    public async Task<int> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var args = new CliArguments(arguments, new HashSet<string>(StringComparer.Ordinal) { "if-outdated" });
        args.RejectUnknown("if-outdated");
        if (args.Has("if-outdated") && !index.IsOutdated)
        {
            return 0;
        }
        var count = await indexer.RebuildAsync(n => Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"indexed {n} items")), cancellationToken);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Rebuilt the archive index: {count} items."));
        return 0;
    }
}

/// <summary>
/// Proves an import is searchable: every message found under the path is looked up by its Message-ID with the same
/// field query an officer would type, and any message the index does not return is listed.
/// </summary>
internal sealed class ArchiveVerifyCommand(ArchiveSearch search) : ICliCommand
{
    public static string Name => "archive verify";
    public static string Summary => "check that every message under a path is found in the archive by its Message-ID";
    public static string Usage => """
        ops/records archive verify <path>
          <path>  an mbox, a .eml file or a folder of them, as given to 'archive import'; lists each message not found
        """;

    public async Task<int> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var args = new CliArguments(arguments, new HashSet<string>());
        args.RejectUnknown();
        if (args.Positional.Count != 1)
        {
            throw new UsageException("Give exactly one path to verify.");
        }
        var result = await VerifyAsync(args.Positional[0], cancellationToken);
        foreach (var (source, messageId) in result.Missing)
        {
            Console.WriteLine($"not found: <{messageId}> from {source}");
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{result.Found} found by Message-ID, {result.Missing.Count} not found, {result.WithoutMessageId} without a Message-ID"));
        return result.Missing.Count == 0 ? 0 : 1;
    }

    internal sealed record Verification(int Found, IReadOnlyList<(string Source, string MessageId)> Missing, int WithoutMessageId);

    internal async Task<Verification> VerifyAsync(string path, CancellationToken cancellationToken)
    {
        int found = 0, withoutId = 0;
        var missing = new List<(string, string)>();
        await foreach (var (source, messageId) in MessageIds(path, cancellationToken))
        {
            if (messageId is null)
            {
                withoutId++;
                continue;
            }
            var query = "messageid:\"" + messageId.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
            if (search.Search(new ArchiveQuery(query, PageSize: 1)).TotalHits > 0)
            {
                found++;
            }
            else
            {
                missing.Add((source, messageId));
            }
        }
        return new Verification(found, missing, withoutId);
    }

    private static async IAsyncEnumerable<(string Source, string? MessageId)> MessageIds(string path,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var file in ArchiveImporter.SourceFiles(Path.GetFullPath(path)))
        {
            if (ContentExtractor.DocumentTypes.ContainsKey(Path.GetExtension(file).ToLowerInvariant()))
            {
                continue;
            }
            var mbox = ArchiveImporter.IsMbox(file);
            await using var stream = File.OpenRead(file);
            var parser = new MimeKit.MimeParser(stream, mbox ? MimeKit.MimeFormat.Mbox : MimeKit.MimeFormat.Entity);
            while (!parser.IsEndOfStream)
            {
                var message = await parser.ParseMessageAsync(cancellationToken);
                yield return (file, message.MessageId);
                if (!mbox)
                {
                    break;
                }
            }
        }
    }
}
