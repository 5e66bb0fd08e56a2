using RecordsRequests.Features.Audit;

namespace RecordsRequests.Features.Redactions;

/// <summary>
/// A student roster an admin uploaded (the CSV export of the student information system). The file is kept in the
/// content store as it arrived; the newest upload is the roster detection uses.
/// </summary>
public sealed class RosterUpload : IAudited
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public string FileName { get; private set; } = "";
    public string Sha256 { get; private set; } = "";
    public int StudentCount { get; private set; }
    public string UploadedBy { get; private set; } = "";
    public DateTimeOffset UploadedAt { get; private set; }

    private RosterUpload() { }

    public static RosterUpload Create(string fileName, string sha256, int students, string by, DateTimeOffset now) => new()
    {
        FileName = fileName,
        Sha256 = sha256,
        StudentCount = students,
        UploadedBy = by,
        UploadedAt = now.ToUniversalTime(),
    };
}
