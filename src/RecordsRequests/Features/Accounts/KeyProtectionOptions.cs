namespace RecordsRequests.Features.Accounts;

/// <summary>
/// The certificate that encrypts the application's data-protection keys (section <c>DataProtection</c>). Those keys sign
/// staff cookies and reset links and are stored in PostgreSQL; encrypted, a copy of the database alone cannot forge a
/// staff session. The certificate (a PFX file with its private key) is kept apart from database backups.
/// </summary>
public sealed class KeyProtectionOptions
{
    public const string SectionName = "DataProtection";

    /// <summary>A PFX file with a private key. Unset: a certificate is made once in the data folder (<see cref="GeneratedFileName"/>).</summary>
    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }

    /// <summary>Certificates used before a rotation, still needed to read the keys they encrypted (PFX paths; same password).</summary>
    public List<string> PreviousCertificatePaths { get; set; } = [];

    public const string GeneratedFileName = "data-protection-keys.pfx";
}
