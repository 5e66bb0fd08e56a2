using RecordsRequests.Features.Audit;

namespace RecordsRequests.Features.Status;

/// <summary>
/// A link sent to a requester's e-mail address that, once opened, shows the address is theirs. Only someone who reads
/// mail sent to the address can open it; a From header anyone can write proves nothing. From then on, mail from that
/// address that names the request joins it as the requester's. Only the link's SHA-256 is stored.
/// </summary>
public sealed class AddressConfirmation : IAudited
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public Guid RequestId { get; private set; }

    /// <summary>The address the link was sent to (lower case); a later change of the requester's address needs a new link.</summary>
    public string Email { get; private set; } = "";
    public string TokenHash { get; private set; } = "";
    public DateTimeOffset SentAt { get; private set; }
    public DateTimeOffset? ConfirmedAt { get; private set; }

    private AddressConfirmation() { }

    internal static AddressConfirmation Create(Guid requestId, string email, string tokenHash, DateTimeOffset now) => new()
    {
        RequestId = requestId,
        Email = email.ToLowerInvariant(),
        TokenHash = tokenHash,
        SentAt = now.ToUniversalTime(),
    };

    internal void Confirm(DateTimeOffset now) => ConfirmedAt ??= now.ToUniversalTime();
}
