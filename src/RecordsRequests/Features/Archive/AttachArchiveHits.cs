using Hangfire;
using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;
using RecordsRequests.Features.Documents;
using RecordsRequests.Features.Records;
using RecordsRequests.Features.Requests;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Archive;

/// <summary>Makes archive hits candidate records of a request; the record's content is the item's stored original.</summary>
public sealed class AttachArchiveHits(AppDbContext db, ArchiveSearch search, ICurrentActor actor, TimeProvider clock, IBackgroundJobClient jobs)
{
    /// <param name="selected">The chosen items, or null for every hit of the query.</param>
    public async Task<AttachResult> AttachAsync(string trackingNumber, ArchiveQuery query, IReadOnlyCollection<Guid>? selected, CancellationToken cancellationToken)
    {
        var request = await db.Set<Request>().SingleOrDefaultAsync(r => r.TrackingNumber == trackingNumber.Trim(), cancellationToken)
            ?? throw new DomainException($"There is no request {trackingNumber}.");
        var result = search.Search(query with { Page = 1, PageSize = 1 });
        var ids = selected ?? search.AllIds(query);
        var items = await db.Set<ArchiveItem>().AsNoTracking().Where(i => ids.Contains(i.Id)).ToListAsync(cancellationToken);
        var hashes = items.Select(i => i.Sha256).ToList();
        var present = (await db.Set<Record>().Where(r => r.RequestId == request.Id && hashes.Contains(r.Sha256)).Select(r => r.Sha256)
            .ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var now = clock.GetUtcNow();
        var records = items.Where(i => !present.Contains(i.Sha256))
            .Select(item => Record.Attach(request.Id, item.FileName, item.ContentType, item.SizeBytes, item.Sha256, RecordSource.ArchiveSearch, actor.Name, now))
            .ToList();
        db.AddRange(records);
        var attached = records.Count;
        var saved = SavedSearch.Record(request.Id, query, result.IndexGeneration, result.TotalHits, attached, actor.Name, now);
        db.Add(saved);
        await db.SaveChangesAsync(cancellationToken);
        foreach (var record in records)
        {
            RecordPages.Enqueue(jobs, record.Id);
        }
        return new AttachResult(request.TrackingNumber, attached, items.Count - attached, saved.Id);
    }
}
