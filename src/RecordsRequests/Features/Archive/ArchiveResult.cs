namespace RecordsRequests.Features.Archive;

public sealed record ArchiveResult(int TotalHits, IReadOnlyList<ArchiveHit> Hits, FeeHelp Fee, long IndexGeneration);
