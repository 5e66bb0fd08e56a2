namespace RecordsRequests.Features.Archive;

/// <summary>The archive index predates this version's document layout and must be rebuilt before it is searched.</summary>
public sealed class ArchiveIndexOutdatedException()
    : ArchiveQueryException("The archive index was built by an earlier version and is being kept out of use until it is rebuilt: run ops/records reindex (ops/run does this when it starts).",
        new InvalidOperationException("archive index schema is older than " + ArchiveDocuments.Schema));
