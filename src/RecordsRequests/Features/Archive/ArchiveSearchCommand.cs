using System.Globalization;
using System.Text.Json;
using RecordsRequests.Hosting.Cli;

namespace RecordsRequests.Features.Archive;

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
