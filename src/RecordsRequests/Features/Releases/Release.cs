using RecordsRequests.Features.Audit;

namespace RecordsRequests.Features.Releases;

/// <summary>
/// A package of produced files sent to a requester. The requester's link carries a random token; only its SHA-256 is
/// stored, so a database copy cannot be turned into working links.
/// </summary>
public sealed class Release : IAudited
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public Guid RequestId { get; private set; }
    public string TokenHash { get; private set; } = "";
    public string SetFingerprint { get; private set; } = "";
    public DateTimeOffset ReleasedAt { get; private set; }
    public string ReleasedBy { get; private set; } = "";
    public List<ReleaseFile> Files { get; private set; } = [];

    private Release() { }

    public static Release Create(Guid requestId, string tokenHash, string fingerprint, string releasedBy, DateTimeOffset now) => new()
    {
        RequestId = requestId,
        TokenHash = tokenHash,
        SetFingerprint = fingerprint,
        ReleasedBy = releasedBy,
        ReleasedAt = now.ToUniversalTime(),
    };
}
