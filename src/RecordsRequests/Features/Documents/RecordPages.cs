using Hangfire;
using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;
using RecordsRequests.Features.Records;

namespace RecordsRequests.Features.Documents;

/// <summary>
/// Makes a stored record into pages, in the background: convert (<see cref="DocumentConverter"/>), read
/// (<see cref="PageReader"/>), store each page's picture and words, then re-place any redaction made before the record
/// had pages. An e-mail's attachments become child records and are queued in turn. Whatever fails, the record says
/// why (in plain words, on the records page and in the audit log) and the original stays stored as it arrived.
/// </summary>
public sealed class RecordPages(AppDbContext db, ContentStore store, DocumentConverter converter, PageReader reader, TimeProvider clock,
    IBackgroundJobClient jobs, IServiceScopeFactory scopes, IEnumerable<IRecordPagesContributor> contributors, ILogger<RecordPages> logger)
{
    /// <summary>How long a conversion may look busy before the sweep assumes its worker died and queues it again.</summary>
    private static readonly TimeSpan Abandoned = TimeSpan.FromMinutes(30);

    /// <summary>Queues a record saved just now; the sweep catches any enqueue lost to a crash in between.</summary>
    public static void Enqueue(IBackgroundJobClient jobs, Guid recordId) => jobs.Enqueue<RecordPages>(pages => pages.MakePagesAsync(recordId, CancellationToken.None));

    [AutomaticRetry(Attempts = 0)]
    public async Task MakePagesAsync(Guid recordId, CancellationToken cancellationToken)
    {
        if (!await ClaimAsync(recordId, cancellationToken))
        {
            return;
        }
        var record = await db.Set<Record>().SingleAsync(r => r.Id == recordId, cancellationToken);
        var scratch = Directory.CreateTempSubdirectory("records-pages-").FullName;
        try
        {
            var original = await store.ReadAllBytesAsync(record.Sha256, cancellationToken);
            var rendition = await converter.ConvertAsync(original, record.FileName, scratch, cancellationToken, record.ContentType);
            var progress = new Progress<PageProgress>(p => ReportProgress(recordId, p));
            var pages = await reader.ReadAsync(rendition.Pdf, scratch, progress, cancellationToken);
            await SaveAsync(record, rendition, pages, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            logger.LogWarning("Record {RecordId} could not be made into pages: {Reason}", recordId, e.Message);
            db.ChangeTracker.Clear();
            var failed = await db.Set<Record>().SingleAsync(r => r.Id == recordId, cancellationToken);
            failed.PagesFailed(e is ConversionFailedException ? e.Message : $"The file could not be read ({e.Message}).", clock.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>
    /// Claims the record for this worker in one statement: queued, or busy for so long that its worker must be gone. A
    /// second job for the same record (a retry, the sweep) finds it claimed and does nothing.
    /// </summary>
    private async Task<bool> ClaimAsync(Guid recordId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var stale = now - Abandoned;
        var claimed = await db.Set<Record>()
            .Where(r => r.Id == recordId && (r.PagesState == PagesState.Queued
                || ((r.PagesState == PagesState.Converting || r.PagesState == PagesState.Reading) && r.PagesStateChangedAt < stale)))
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.PagesState, PagesState.Converting).SetProperty(r => r.PagesStateChangedAt, now)
                .SetProperty(r => r.PagesDone, 0).SetProperty(r => r.PagesFailure, (string?)null), cancellationToken);
        return claimed == 1;
    }

    /// <summary>
    /// Progress is written outside the change tracker (a page count going up is not an event for the audit log), and
    /// only while the record is still busy: a report that arrives late never undoes "ready".
    /// </summary>
    private void ReportProgress(Guid recordId, PageProgress progress)
    {
        using var scope = scopes.CreateScope();
        var context = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        context.Set<Record>().Where(r => r.Id == recordId && (r.PagesState == PagesState.Converting || r.PagesState == PagesState.Reading))
            .ExecuteUpdate(set => set.SetProperty(r => r.PagesState, PagesState.Reading).SetProperty(r => r.PagesDone, progress.Done)
                .SetProperty(r => r.PageCount, progress.Total));
    }

    private async Task SaveAsync(Record record, Rendition rendition, IReadOnlyList<ReadPage> pages, CancellationToken cancellationToken)
    {
        var renditionStored = await store.PutAsync(rendition.Pdf, cancellationToken);
        await db.Set<DocumentPage>().Where(p => p.RecordId == record.Id).ExecuteDeleteAsync(cancellationToken);
        var saved = new List<DocumentPage>();
        foreach (var page in pages)
        {
            var image = await store.PutAsync(page.Png, cancellationToken);
            saved.Add(DocumentPage.Create(record.Id, page.Number, page.Width, page.Height, image.Sha256, page.HasColour, page.TextSource, page.Words));
        }
        db.AddRange(saved);
        var children = new List<Record>();
        foreach (var child in rendition.Children)
        {
            var stored = await store.PutAsync(child.Content, cancellationToken);
            if (!await db.Set<Record>().AnyAsync(r => r.ParentRecordId == record.Id && r.Sha256 == stored.Sha256 && r.FileName == child.FileName, cancellationToken))
            {
                children.Add(record.AttachChild(child.FileName, child.ContentType, stored.Length, stored.Sha256, clock.GetUtcNow()));
            }
        }
        db.AddRange(children);
        record.PagesReady(renditionStored.Sha256, pages.Count, clock.GetUtcNow());
        var text = PagedText.Build(saved);
        foreach (var contributor in contributors)
        {
            await contributor.OnPagesMadeAsync(record, text, cancellationToken);
        }
        await db.SaveChangesAsync(cancellationToken);
        foreach (var child in children)
        {
            Enqueue(jobs, child.Id);
        }
    }

    /// <summary>Queues records whose enqueue was lost (a crash between saving and queueing) or whose worker died.</summary>
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var queuedBefore = now - TimeSpan.FromMinutes(2);
        var stale = now - Abandoned;
        var lost = await db.Set<Record>().AsNoTracking()
            .Where(r => (r.PagesState == PagesState.Queued && r.PagesStateChangedAt < queuedBefore)
                || ((r.PagesState == PagesState.Converting || r.PagesState == PagesState.Reading) && r.PagesStateChangedAt < stale))
            .Select(r => r.Id).ToListAsync(cancellationToken);
        foreach (var id in lost)
        {
            Enqueue(jobs, id);
        }
    }

    public const string SweepJobId = "record-pages-sweep";

    public static void Schedule(IServiceProvider services) =>
        services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<RecordPages>(SweepJobId, pages => pages.SweepAsync(CancellationToken.None), "*/5 * * * *");
}
