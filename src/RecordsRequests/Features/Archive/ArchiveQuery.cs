namespace RecordsRequests.Features.Archive;

/// <summary>A search as an officer states it. Dates are calendar days in the district's time zone, both inclusive.</summary>
public sealed record ArchiveQuery(string Text, DateOnly? From = null, DateOnly? To = null, string? Custodian = null,
    ArchiveSort Sort = ArchiveSort.Relevance, int Page = 1, int PageSize = 20);
