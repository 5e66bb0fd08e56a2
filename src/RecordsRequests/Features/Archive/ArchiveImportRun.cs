using RecordsRequests.Features.Audit;

namespace RecordsRequests.Features.Archive;

/// <summary>
/// An archive import started from the browser: the uploaded file (an mbox, a .pst, a .eml or a zip of files), kept in
/// the data folder, imported by <see cref="ArchiveImporter"/> in a background job whose progress lines land here for
/// the page to show. The importer's own speed, progress and resumption are its own; this is the page's record.
/// </summary>
public sealed class ArchiveImportRun : IAudited
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public string FileName { get; private set; } = "";
    public string Custodian { get; private set; } = "";
    public string StoredPath { get; private set; } = "";
    public long SizeBytes { get; private set; }
    public string StartedBy { get; private set; } = "";
    public DateTimeOffset QueuedAt { get; private set; }
    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? FinishedAt { get; private set; }

    /// <summary>The importer's latest progress line, in its words.</summary>
    public string Progress { get; private set; } = "";

    /// <summary>The closing summary, or why the import failed.</summary>
    public string? Outcome { get; private set; }
    public bool Failed { get; private set; }

    private ArchiveImportRun() { }

    public static ArchiveImportRun Queue(string fileName, string custodian, string storedPath, long size, string by, DateTimeOffset now) => new()
    {
        FileName = fileName,
        Custodian = custodian,
        StoredPath = storedPath,
        SizeBytes = size,
        StartedBy = by,
        QueuedAt = now.ToUniversalTime(),
        Progress = "Waiting for the import to start.",
    };

    internal void Start(DateTimeOffset now)
    {
        StartedAt = now.ToUniversalTime();
        Progress = "Starting.";
    }

    internal void Report(string line) => Progress = line.Length > 1000 ? line[..1000] : line;

    internal void Finish(string outcome, bool failed, DateTimeOffset now)
    {
        Outcome = outcome.Length > 4000 ? outcome[..4000] : outcome;
        Failed = failed;
        FinishedAt = now.ToUniversalTime();
    }
}
