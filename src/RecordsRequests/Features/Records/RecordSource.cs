namespace RecordsRequests.Features.Records;

public enum RecordSource
{
    Upload,
    EmailAttachment,
    ArchiveSearch,
}
