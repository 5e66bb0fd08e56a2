namespace RecordsRequests.Features.Accounts;

/// <summary>
/// A signed-in staff session, held on the server. The browser's cookie carries only a random key; the row is looked up
/// by that key's SHA-256, so a database backup does not hand out live sessions. Deleting the row ends the session at
/// once, wherever a copy of the cookie is.
/// </summary>
public sealed class StaffSession
{
    public string KeyHash { get; private set; } = "";
    public string UserId { get; private set; } = "";

    /// <summary>The authentication ticket (claims, expiry), serialized and encrypted with the application's data-protection keys.</summary>
    public byte[] Ticket { get; private set; } = [];
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset LastSeenAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }

    private StaffSession() { }

    internal static StaffSession Start(string keyHash, string userId, byte[] ticket, DateTimeOffset now, DateTimeOffset expiresAt) => new()
    {
        KeyHash = keyHash,
        UserId = userId,
        Ticket = ticket,
        CreatedAt = now,
        LastSeenAt = now,
        ExpiresAt = expiresAt,
    };

    internal void Renew(byte[] ticket, DateTimeOffset now, DateTimeOffset expiresAt)
    {
        Ticket = ticket;
        LastSeenAt = now;
        ExpiresAt = expiresAt;
    }
}
