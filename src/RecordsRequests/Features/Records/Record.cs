using RecordsRequests.Features.Audit;
using RecordsRequests.Features.Requests;

namespace RecordsRequests.Features.Records;

/// <summary>A document considered for release in answer to a request. Content is stored by its SHA-256.</summary>
public sealed class Record : IAudited
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public Guid RequestId { get; private set; }
    public Request Request { get; private set; } = null!;
    public string FileName { get; private set; } = "";
    public string ContentType { get; private set; } = "application/octet-stream";
    public long SizeBytes { get; private set; }
    public string Sha256 { get; private set; } = "";
    public RecordSource Source { get; private set; }
    public RecordDisposition Disposition { get; private set; }
    public DateTimeOffset AddedAt { get; private set; }
    public string AddedBy { get; private set; } = "";
    /// <summary>The e-mail this record was attached to, when it is an attachment: the family it belongs to.</summary>
    public Guid? ParentRecordId { get; private set; }
    public PagesState PagesState { get; private set; }
    public int PagesDone { get; private set; }
    public int PageCount { get; private set; }
    public string? PagesFailure { get; private set; }
    public DateTimeOffset PagesStateChangedAt { get; private set; }
    /// <summary>The PDF the pages were rendered from: the original itself for a PDF, else its conversion.</summary>
    public string? RenditionSha256 { get; private set; }

    private Record() { }

    public static Record Attach(Guid requestId, string fileName, string contentType, long sizeBytes, string sha256, RecordSource source,
        string addedBy, DateTimeOffset addedAt) => new()
        {
            RequestId = requestId,
            // A file name comes from a sender or an uploader's computer: it is shown on pages and written into ZIPs.
            FileName = Shared.UntrustedText.Clean(fileName),
            ContentType = Shared.UntrustedText.Clean(contentType),
            SizeBytes = sizeBytes,
            Sha256 = sha256,
            Source = source,
            Disposition = RecordDisposition.Candidate,
            AddedBy = addedBy,
            AddedAt = addedAt.ToUniversalTime(),
            PagesState = PagesState.Queued,
            PagesStateChangedAt = addedAt.ToUniversalTime(),
        };

    /// <summary>An attachment of an e-mail record: same request, same family, judged like its parent.</summary>
    public Record AttachChild(string fileName, string contentType, long sizeBytes, string sha256, DateTimeOffset now)
    {
        var child = Attach(RequestId, fileName, contentType, sizeBytes, sha256, Source, AddedBy, now);
        child.ParentRecordId = Id;
        child.Disposition = Disposition;
        return child;
    }

    public void Judge(RecordDisposition disposition) => Disposition = disposition;

    public void PagesStarted(PagesState state, DateTimeOffset now)
    {
        PagesState = state;
        PagesFailure = null;
        PagesStateChangedAt = now.ToUniversalTime();
    }

    public void PagesRead(int done, int total)
    {
        PagesState = PagesState.Reading;
        PagesDone = done;
        PageCount = total;
    }

    public void PagesReady(string renditionSha256, int pageCount, DateTimeOffset now)
    {
        PagesState = PagesState.Ready;
        RenditionSha256 = renditionSha256;
        PageCount = pageCount;
        PagesDone = pageCount;
        PagesStateChangedAt = now.ToUniversalTime();
    }

    public void PagesFailed(string reason, DateTimeOffset now)
    {
        PagesState = PagesState.Failed;
        PagesFailure = reason.Length > 1000 ? reason[..1000] : reason;
        PagesStateChangedAt = now.ToUniversalTime();
    }
}
