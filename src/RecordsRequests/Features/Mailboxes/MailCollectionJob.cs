using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RecordsRequests.Data;
using RecordsRequests.Features.Archive;
using RecordsRequests.Features.Requests;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Mailboxes;

/// <summary>
/// Runs a <see cref="MailCollection"/> in the background: lists the custodian's matching mail a page at a time, writes
/// each message's raw MIME to a page folder in the data folder (whole files only: written under a hidden name, then
/// renamed), hands the folder to the archive's importer with the custodian, and then saves the position of the next
/// page. The archive skips a file it has already recorded, so a run killed anywhere lists the unfinished page again,
/// fetches only what is not on disk yet, and adds nothing twice; mail the archive already holds from an import or another
/// collection (the same message, whatever headers that export gave it: see ArchiveIdentity) gains this custodian and
/// this collection as sources but stays one item.
/// </summary>
public sealed class MailCollectionJob(IServiceScopeFactory scopes, MailboxClients clients, DistrictTime time, IOptions<RecordsOptions> records,
    ILogger<MailCollectionJob> log)
{
    public static void Enqueue(IBackgroundJobClient jobs, Guid collectionId) =>
        jobs.Enqueue<MailCollectionJob>(job => job.RunAsync(collectionId, CancellationToken.None));

    /// <summary>Where a collection's pages are written before the importer takes them.</summary>
    public string FolderOf(Guid collectionId) => Path.Combine(Path.GetFullPath(records.Value.DataPath), "collections", collectionId.ToString("N"));

    /// <summary>Not retried by Hangfire: a provider problem stops the collection with its reason, and an officer resumes it.</summary>
    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(Guid collectionId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        if (scope.ServiceProvider.GetService<ICurrentActor>() is HttpOrSystemActor actor)
        {
            actor.SystemName = "the background mail collection";
        }
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        // One run per collection at a time (a resume clicked while a run is still going, a job Hangfire hands out again):
        // a session lock on a connection of its own, outside the pool, so that closing it (or the process dying) frees
        // the lock however the run ended.
        var unpooled = new Npgsql.NpgsqlConnectionStringBuilder(records.Value.Database) { Pooling = false };
        await using var lockConnection = new Npgsql.NpgsqlConnection(unpooled.ConnectionString);
        await lockConnection.OpenAsync(cancellationToken);
        await using (var command = new Npgsql.NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", lockConnection))
        {
            command.Parameters.AddWithValue("key", BitConverter.ToInt64(collectionId.ToByteArray(), 0));
            if (!(bool)(await command.ExecuteScalarAsync(cancellationToken))!)
            {
                log.LogInformation("Mail collection {Id} is already running elsewhere", collectionId);
                return;
            }
        }
        await CollectAsync(db, collectionId, cancellationToken);
    }

    private async Task CollectAsync(AppDbContext db, Guid collectionId, CancellationToken cancellationToken)
    {
        var collection = await db.Set<MailCollection>().SingleOrDefaultAsync(c => c.Id == collectionId, cancellationToken);
        if (collection is null || collection.Status == MailCollectionStatus.Finished)
        {
            return;
        }
        var progress = await db.Set<MailCollectionProgress>().SingleOrDefaultAsync(p => p.CollectionId == collectionId, cancellationToken);
        if (progress is null)
        {
            progress = MailCollectionProgress.Start(collectionId);
            db.Add(progress);
        }
        var connection = await db.Set<MailboxConnection>().AsNoTracking().SingleAsync(c => c.Id == collection.ConnectionId, cancellationToken);
        collection.Run();
        progress.BeginRun(time.Now);
        await db.SaveChangesAsync(cancellationToken);

        var query = collection.Query(time);
        var tracking = await db.Set<Request>().AsNoTracking().Where(r => r.Id == collection.RequestId).Select(r => r.TrackingNumber)
            .SingleAsync(cancellationToken);
        // Each archive source says how it came: the page files are removed once the collection is done.
        var origin = $"Collected from {(connection.Kind == MailboxKind.Microsoft365 ? "Microsoft 365" : "Google Workspace")} (“{collection.ConnectionName}”) for request {tracking}";
        try
        {
            var collector = clients.CollectorFor(connection, collection.Custodian);
            while (true)
            {
                var page = await collector.ListAsync(query, progress.Position, cancellationToken);
                var (stored, failed) = await StorePageAsync(collector, query, page, Path.Combine(FolderOf(collectionId), $"page-{progress.Page:D6}"),
                    collection.Custodian, origin, cancellationToken);
                progress.PageDone(page.Next, stored, failed, page.Estimate, time.Now);
                await db.SaveChangesAsync(cancellationToken);
                if (page.Next is null)
                {
                    break;
                }
            }
            var limit = collector.ResultLimit(query);
            var (messages, added) = await CountAsync(db, collectionId, cancellationToken);
            collection.Finish(messages, added, progress.Failed, limit is { } most && messages >= most
                ? string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"Microsoft 365 returns at most {most:N0} messages for a search with terms, and this one reached that limit: some matching mail may be missing. Collect shorter date ranges.")
                : null, time.Now);
            await db.SaveChangesAsync(cancellationToken);
            // The originals are in the archive's content store now; the pages were only the way in.
            if (Directory.Exists(FolderOf(collectionId)))
            {
                Directory.Delete(FolderOf(collectionId), recursive: true);
            }
        }
        catch (MailboxProblem problem)
        {
            log.LogWarning("Mail collection {Id} from {Custodian} stopped: {Problem}", collectionId, collection.Custodian, problem.Message);
            var (messages, added) = await CountAsync(db, collectionId, CancellationToken.None);
            collection.Stop(messages, added, progress.Failed, problem.Message);
            await db.SaveChangesAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// From the archive's provenance rows: the messages this collection put there, and how many of them the archive
    /// first received through it (no earlier import or collection had the same message). Counted, not added up page by
    /// page, so a run killed between importing a page and saving its position counts the same.
    /// </summary>
    private async Task<(int Messages, int New)> CountAsync(AppDbContext db, Guid collectionId, CancellationToken cancellationToken)
    {
        var prefix = FolderOf(collectionId) + Path.DirectorySeparatorChar;
        var sources = db.Set<ArchiveItemSource>().AsNoTracking().Where(s => s.SourceFile.StartsWith(prefix));
        var messages = await sources.CountAsync(cancellationToken);
        var added = await sources.CountAsync(s => !db.Set<ArchiveItemSource>().Any(o => o.ItemId == s.ItemId && o.Id < s.Id), cancellationToken);
        return (messages, added);
    }

    /// <summary>Fetches the page's messages not yet on disk, then imports the page folder; returns what the importer counted.</summary>
    private async Task<(int Stored, int Failed)> StorePageAsync(IMailboxCollector collector, CollectionQuery query, CollectionPage page, string folder,
        string custodian, string origin, CancellationToken cancellationToken)
    {
        if (page.Ids.Count == 0)
        {
            return (0, 0);
        }
        Directory.CreateDirectory(folder);
        foreach (var id in page.Ids)
        {
            var name = FileNameOf(id);
            var file = Path.Combine(folder, name);
            if (File.Exists(file))
            {
                continue;
            }
            var raw = await collector.GetRawAsync(query, id, cancellationToken);
            // Hidden while written (the importer passes over names starting with a dot), visible once whole.
            var partial = Path.Combine(folder, "." + name + ".part");
            await File.WriteAllBytesAsync(partial, raw, cancellationToken);
            File.Move(partial, file, overwrite: true);
        }
        await using var scope = scopes.CreateAsyncScope();
        var report = await scope.ServiceProvider.GetRequiredService<ArchiveImporter>().ImportAsync(folder, custodian, null, cancellationToken, origin);
        // A page listed again after a kill may find its files imported already; its position was not saved, so they were
        // not counted then and count now.
        return (report.NewItems + report.Duplicates + report.AlreadyImported, report.Failures.Count);
    }

    /// <summary>The provider's id as a file name: ids are base64-like (Graph uses '/', '+', '='), so unsafe characters are escaped.</summary>
    internal static string FileNameOf(string id) =>
        string.Concat(id.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c.ToString() : $"~{(int)c:x2}")) + ".eml";
}
