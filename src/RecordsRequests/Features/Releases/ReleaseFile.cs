namespace RecordsRequests.Features.Releases;

/// <summary>A produced file (never an original) in the content store.</summary>
public sealed class ReleaseFile
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public Guid ReleaseId { get; private set; }
    public string FileName { get; private set; } = "";
    public string ContentType { get; private set; } = "";
    public string Sha256 { get; private set; } = "";
    public long SizeBytes { get; private set; }
    public ReleaseFileKind Kind { get; private set; }

    /// <summary>The record's place in the package (1, 2 …) for a record's PDF or native copy; null for the log and the letter.</summary>
    public int? DocumentNumber { get; private set; }
    public string? FirstBates { get; private set; }
    public string? LastBates { get; private set; }
    public int? PageCount { get; private set; }

    /// <summary>How many redactions were burned into this file (its PDF); null for files that are not a record's pages.</summary>
    public int? RedactionCount { get; private set; }

    private ReleaseFile() { }

    public static ReleaseFile Create(string fileName, string contentType, string sha256, long size, ReleaseFileKind kind, ReleasedDocument? document = null) => new()
    {
        FileName = fileName,
        ContentType = contentType,
        Sha256 = sha256,
        SizeBytes = size,
        Kind = kind,
        DocumentNumber = document?.Number,
        FirstBates = document?.FirstBates,
        LastBates = document?.LastBates,
        PageCount = document?.PageCount,
        RedactionCount = document?.RedactionCount,
    };
}
