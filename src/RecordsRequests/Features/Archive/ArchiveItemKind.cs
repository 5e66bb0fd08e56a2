namespace RecordsRequests.Features.Archive;

public enum ArchiveItemKind
{
    Message,
    Document,
}
