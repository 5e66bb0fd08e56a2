using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace RecordsRequests.Features.Mailboxes;

/// <summary>The secret of one connection, in the clear only in memory while it is used.</summary>
public sealed record MailboxSecret(string? ClientSecret = null, byte[]? CertificatePkcs12 = null, string? ServiceAccountKeyJson = null, string? Password = null)
{
    /// <summary>Never print the secret (a record's ToString would).</summary>
    public override string ToString() => "(secret)";
}

/// <summary>
/// Encrypts connection secrets with the application's data-protection keys (kept in the database, shared by every
/// instance), under a purpose of their own so no other protected payload can be swapped in for one.
/// </summary>
public sealed class MailboxSecrets(IDataProtectionProvider protection)
{
    private readonly IDataProtector _protector = protection.CreateProtector("RecordsRequests.Mailboxes.ConnectionSecret.v1");

    public byte[] Protect(MailboxSecret secret) => _protector.Protect(JsonSerializer.SerializeToUtf8Bytes(secret));

    public MailboxSecret Unprotect(byte[] protectedSecret) =>
        JsonSerializer.Deserialize<MailboxSecret>(_protector.Unprotect(protectedSecret))
        ?? throw new InvalidOperationException("A mailbox connection's stored secret is empty.");
}
