using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;
using RecordsRequests.Features.Records;

namespace RecordsRequests.Features.Archive;

/// <summary>
/// Keeps the index in step with the database. Every archive_item_sources row (a new item, or a new custodian of a known
/// item) gets an increasing id; the index commit records the highest id it reflects. Whatever happened after that
/// commit (an import killed between saving rows and committing the index) is redone from the stored originals by
/// <see cref="CatchUpAsync"/>, so the database and the content store are the truth and the index can always be rebuilt.
/// </summary>
public sealed class ArchiveIndexer(AppDbContext db, ContentStore store, ArchiveIndex index)
{
    private const int BatchSize = 500;

    public async Task<int> CatchUpAsync(CancellationToken cancellationToken)
    {
        if (index.IsOutdated)
        {
            // New documents beside old-layout ones would leave the index half searchable; rebuild it whole first.
            return await RebuildAsync(progress: null, cancellationToken);
        }
        var watermark = index.Watermark;
        var latest = await db.Set<ArchiveItemSource>().MaxAsync(s => (long?)s.Id, cancellationToken) ?? 0;
        if (latest <= watermark)
        {
            return 0;
        }
        var itemIds = await db.Set<ArchiveItemSource>().Where(s => s.Id > watermark && s.Id <= latest)
            .Select(s => s.ItemId).Distinct().ToListAsync(cancellationToken);
        foreach (var batch in itemIds.Chunk(BatchSize))
        {
            await IndexItemsAsync(db.Set<ArchiveItem>().Where(i => batch.Contains(i.Id)), cancellationToken);
        }
        index.Commit(latest);
        return itemIds.Count;
    }

    /// <summary>Empties the index and rebuilds it from the originals in the content store.</summary>
    public async Task<int> RebuildAsync(Action<int>? progress, CancellationToken cancellationToken)
    {
        var latest = await db.Set<ArchiveItemSource>().MaxAsync(s => (long?)s.Id, cancellationToken) ?? 0;
        index.DeleteAll();
        var count = 0;
        var after = "";
        while (true)
        {
            // Keyset paging on the unique SHA-256 keeps each batch query cheap however large the archive is.
            var batch = await db.Set<ArchiveItem>().Where(i => string.Compare(i.Sha256, after) > 0)
                .OrderBy(i => i.Sha256).Take(BatchSize).Select(i => i.Sha256).ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }
            await IndexItemsAsync(db.Set<ArchiveItem>().Where(i => batch.Contains(i.Sha256)), cancellationToken);
            count += batch.Count;
            after = batch[^1];
            progress?.Invoke(count);
        }
        index.Commit(latest);
        return count;
    }

    /// <summary>Reads and parses the originals on every core: after an import was killed this is what stands between
    /// the officer and a complete search, and it parses the same messages the import did.</summary>
    private async Task IndexItemsAsync(IQueryable<ArchiveItem> items, CancellationToken cancellationToken)
    {
        var loaded = await items.AsNoTracking().Include(i => i.Sources).AsSplitQuery().ToListAsync(cancellationToken);
        await Parallel.ForEachAsync(loaded, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken },
            async (item, token) =>
            {
                byte[] original;
                try
                {
                    original = await store.ReadAllBytesAsync(item.Sha256, token);
                }
                catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
                {
                    throw new ArchiveOriginalMissingException(item.Id, item.Sha256, store.Folder, e);
                }
                var content = item.Kind switch
                {
                    ArchiveItemKind.Message => ContentExtractor.FromMessageBytes(original),
                    ArchiveItemKind.Document => ContentExtractor.FromDocument(item.FileName, original, item.SentAt),
                };
                index.Upsert(item.Id, ArchiveDocuments.Build(item.Id, item.Kind, item.Sources.Select(s => s.Custodian), content));
            });
    }
}
