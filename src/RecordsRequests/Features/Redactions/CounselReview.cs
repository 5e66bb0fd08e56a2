using RecordsRequests.Features.Audit;

namespace RecordsRequests.Features.Redactions;

/// <summary>
/// Counsel's decision on a request's redaction set. An approval records a fingerprint of the exact set approved:
/// a release checks it against the current set, so any later change needs counsel again.
/// </summary>
public sealed class CounselReview : IAudited
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public Guid RequestId { get; private set; }
    public CounselDecision Decision { get; private set; }
    public string Counsel { get; private set; } = "";
    public DateTimeOffset DecidedAt { get; private set; }
    public string Comment { get; private set; } = "";
    public string SetFingerprint { get; private set; } = "";

    private CounselReview() { }

    public static CounselReview Record(Guid requestId, CounselDecision decision, string counsel, string comment, string fingerprint, DateTimeOffset now) => new()
    {
        RequestId = requestId,
        Decision = decision,
        Counsel = counsel,
        Comment = comment.Trim(),
        SetFingerprint = fingerprint,
        DecidedAt = now.ToUniversalTime(),
    };
}
