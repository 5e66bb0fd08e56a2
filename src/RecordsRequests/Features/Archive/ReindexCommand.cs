using System.Globalization;
using RecordsRequests.Hosting.Cli;

namespace RecordsRequests.Features.Archive;

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
        int count;
        try
        {
            count = await indexer.RebuildAsync(n => Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"indexed {n} items")), cancellationToken);
        }
        catch (ArchiveOriginalMissingException e)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Rebuilt the archive index: {count} items."));
        return 0;
    }
}
