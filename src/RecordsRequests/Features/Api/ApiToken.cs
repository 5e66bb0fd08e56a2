using System.Security.Cryptography;
using RecordsRequests.Features.Audit;

namespace RecordsRequests.Features.Api;

/// <summary>
/// A staff member's token for the JSON API. Only its SHA-256 is stored: the token itself is shown once, when created.
/// </summary>
public sealed class ApiToken : IAudited
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public string UserId { get; private set; } = "";
    public string Name { get; private set; } = "";
    public string TokenHash { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }

    private ApiToken() { }

    /// <summary>Creates a token; returns the entity and the secret to show the user once.</summary>
    public static (ApiToken Token, string Secret) Issue(string userId, string name, DateTimeOffset now)
    {
        var secret = "rr_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return (new ApiToken { UserId = userId, Name = name, TokenHash = HashOf(secret), CreatedAt = now.ToUniversalTime() }, secret);
    }

    public static string HashOf(string secret) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret)));

    public void Revoke(DateTimeOffset now) => RevokedAt ??= now.ToUniversalTime();
}
