using RecordsRequests.Features.Audit;

namespace RecordsRequests.Features.Archive;

/// <summary>
/// The search whose hits were attached to a request as candidate records: exactly what was asked, of which state of
/// the index, and what it found, so the district can show how it searched if the response is appealed (950 CMR 32.08).
/// </summary>
public sealed class SavedSearch : IAudited
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public Guid RequestId { get; private set; }
    public string Query { get; private set; } = "";
    public DateOnly? FromDate { get; private set; }
    public DateOnly? ToDate { get; private set; }
    public string? Custodian { get; private set; }

    /// <summary>The Lucene reader version the search ran against; it changes with every committed import.</summary>
    public long IndexGeneration { get; private set; }
    public int HitCount { get; private set; }
    public int AttachedCount { get; private set; }
    public string SearchedBy { get; private set; } = "";
    public DateTimeOffset SearchedAt { get; private set; }

    private SavedSearch() { }

    public static SavedSearch Record(Guid requestId, ArchiveQuery query, long indexGeneration, int hitCount, int attachedCount, string searchedBy,
        DateTimeOffset searchedAt) => new()
        {
            RequestId = requestId,
            Query = query.Text,
            FromDate = query.From,
            ToDate = query.To,
            Custodian = string.IsNullOrWhiteSpace(query.Custodian) ? null : query.Custodian.Trim(),
            IndexGeneration = indexGeneration,
            HitCount = hitCount,
            AttachedCount = attachedCount,
            SearchedBy = searchedBy,
            SearchedAt = searchedAt.ToUniversalTime(),
        };
}
