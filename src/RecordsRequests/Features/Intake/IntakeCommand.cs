using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using RecordsRequests.Data;
using RecordsRequests.Hosting;
using RecordsRequests.Hosting.Cli;

namespace RecordsRequests.Features.Intake;

/// <summary><c>ops/records intake &lt;file-or-folder&gt; [--dry-run] [--json]</c>: feeds .eml/.mbox files to intake.</summary>
public sealed class IntakeCommand(IServiceProvider services, MailAnalyzer analyzer, IOptions<IntakeOptions> options, IOptions<RecordsOptions> records) : ICliCommand
{
    public static string Name => "intake";
    public static string Summary => "read .eml/.mbox files (or a folder of them) into intake; --dry-run only classifies";
    public static string Usage => """
        Usage: ops/records intake <file-or-folder> [--dry-run] [--json]
          Every file is one message, or an mbox of many. Prints one line per message (JSON Lines with --json):
          file, index, classification (request|reply|automated|quarantined), reason, messageId, subject, from, trackingNumber.
          --dry-run  parse and classify only: nothing is stored, no request opened, no mail queued.
        """;

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public async Task<int> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var args = new CliArguments(arguments, new HashSet<string> { "dry-run", "json" });
        args.RejectUnknown("dry-run", "json");
        if (args.Positional.Count != 1)
        {
            throw new UsageException("Name one file or folder.");
        }
        var path = Path.GetFullPath(args.Positional[0]);
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new UsageException($"{path} does not exist.");
        }
        var dryRun = args.Has("dry-run");
        var json = args.Has("json");
        var threads = dryRun ? await DryRunThreadsAsync(services, records, cancellationToken) : null;
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);

        foreach (var entry in MailFiles.Enumerate(path, options.Value.MaxMessageBytes * 20))
        {
            cancellationToken.ThrowIfCancellationRequested();
            IntakeResult result;
            if (entry.Raw is null)
            {
                result = new IntakeResult(IntakeClassification.Quarantined, entry.ReadError ?? "unreadable", null, null, null, null);
            }
            else
            {
                try
                {
                    result = dryRun ? await AnalyzeAsync(entry.Raw, threads!, cancellationToken) : await ReceiveAsync(entry, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    result = new IntakeResult(IntakeClassification.Quarantined, $"intake error: {e.GetType().Name}: {e.Message}", null, null, null, null);
                }
            }
            var classification = result.Classification.ToString().ToLowerInvariant();
            counts[classification] = counts.GetValueOrDefault(classification) + 1;
            if (json)
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    file = entry.File,
                    index = entry.Index,
                    classification,
                    reason = result.Reason,
                    messageId = result.MessageId,
                    subject = result.Subject,
                    from = result.From,
                    trackingNumber = result.TrackingNumber,
                    duplicate = result.Duplicate,
                    similarTo = result.SimilarTo,
                }, Json));
            }
            else
            {
                Console.WriteLine($"{classification,-12} {result.TrackingNumber ?? "-",-14} {entry.File}#{entry.Index}  {result.Reason}");
            }
        }
        await Console.Error.WriteLineAsync(string.Join(", ", counts.Select(c => $"{c.Key} {c.Value}")));
        return 0;
    }

    private async Task<IntakeResult> AnalyzeAsync(byte[] raw, IThreadLookup threads, CancellationToken cancellationToken)
    {
        var analysis = await analyzer.AnalyzeAsync(raw, threads, cancellationToken);
        var message = analysis.Facts?.Message;
        return new IntakeResult(analysis.Decision.Classification, analysis.Decision.Reason, message?.MessageId, message?.Subject,
            analysis.Facts?.Sender?.Address ?? message?.From.Mailboxes.FirstOrDefault()?.Address, analysis.Decision.Thread?.TrackingNumber);
    }

    private async Task<IntakeResult> ReceiveAsync(MailFileEntry entry, CancellationToken cancellationToken)
    {
        // A scope per message: a failed message leaves no tracked entities behind for the next one.
        await using var scope = services.CreateAsyncScope();
        var intake = scope.ServiceProvider.GetRequiredService<MailIntake>();
        return await intake.ReceiveAsync(entry.Raw!, IntakeSource.CommandLine, $"{entry.File}#{entry.Index}", cancellationToken);
    }

    /// <summary>A dry run threads against the database when one is configured and reachable; otherwise it says so and threads against nothing.</summary>
    internal static async Task<IThreadLookup> DryRunThreadsAsync(IServiceProvider services, IOptions<RecordsOptions> records, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(records.Value.Database))
        {
            var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            try
            {
                if (await db.Database.CanConnectAsync(cancellationToken))
                {
                    return scope.ServiceProvider.GetRequiredService<DatabaseThreadLookup>();
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await Console.Error.WriteLineAsync($"database not reachable ({e.Message})");
            }
        }
        await Console.Error.WriteLineAsync("No database: replies cannot be matched to requests in this dry run.");
        return NoThreads.Instance;
    }
}
