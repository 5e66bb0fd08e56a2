namespace RecordsRequests.Features.Mailboxes;

/// <summary>The secret of one connection, in the clear only in memory while it is used.</summary>
public sealed record MailboxSecret(string? ClientSecret = null, byte[]? CertificatePkcs12 = null, string? ServiceAccountKeyJson = null, string? Password = null)
{
    /// <summary>Never print the secret (a record's ToString would).</summary>
    public override string ToString() => "(secret)";
}
