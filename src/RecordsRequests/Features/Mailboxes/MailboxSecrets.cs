using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace RecordsRequests.Features.Mailboxes;

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
