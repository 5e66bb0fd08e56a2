namespace RecordsRequests.Features.Archive;

public enum ArchiveSort
{
    Relevance,
    NewestFirst,
    OldestFirst,
}
