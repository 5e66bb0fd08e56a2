using System.Security.Cryptography;
using System.Text;

namespace RecordsRequests.Features.Shared;

/// <summary>
/// The secret in a link handed to a requester (a release package, a status page). 256 random bits, URL-safe; only its
/// SHA-256 is stored, so a copy of the database cannot be turned into working links.
/// </summary>
public static class SecretLinkToken
{
    public static string Create() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>A created token is 43 characters; anything far from that is not worth a database look-up.</summary>
    public static bool IsPlausible(string? token) => token is { Length: >= 20 and <= 100 };
}
