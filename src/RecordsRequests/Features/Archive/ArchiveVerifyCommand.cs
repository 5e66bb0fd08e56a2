using System.Globalization;
using RecordsRequests.Hosting.Cli;

namespace RecordsRequests.Features.Archive;

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
