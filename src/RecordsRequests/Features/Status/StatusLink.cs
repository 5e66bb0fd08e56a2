using RecordsRequests.Features.Audit;

namespace RecordsRequests.Features.Status;

/// <summary>
/// A requester's secret link to the status page of one request. A request may have several (the one shown after the
/// web form, the one in the acknowledgement e-mail); each holds only the SHA-256 of its token.
/// </summary>
public sealed class StatusLink : IAudited
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public Guid RequestId { get; private set; }
    public string TokenHash { get; private set; } = "";

    /// <summary>Where the link was handed out (e.g. "web-form", "acknowledgement"), so a leaked one can be traced.</summary>
    public string IssuedFor { get; private set; } = "";
    public DateTimeOffset IssuedAt { get; private set; }

    private StatusLink() { }

    internal static StatusLink Create(Guid requestId, string tokenHash, string issuedFor, DateTimeOffset now) => new()
    {
        RequestId = requestId,
        TokenHash = tokenHash,
        IssuedFor = issuedFor,
        IssuedAt = now.ToUniversalTime(),
    };
}
