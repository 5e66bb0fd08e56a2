using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Options;
using RecordsRequests.Hosting;

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

/// <summary>Loads the configured certificate, or makes and keeps one in the private data folder on first start.</summary>
public sealed class KeyProtectionCertificates(IOptions<KeyProtectionOptions> options, IOptions<RecordsOptions> records, ILogger<KeyProtectionCertificates> log)
{
    private readonly Lazy<(X509Certificate2 Current, IReadOnlyList<X509Certificate2> All)> _certificates = new(() => Load(options.Value, records, log));

    public X509Certificate2 Current => _certificates.Value.Current;

    /// <summary>The current certificate and any previous ones, for decrypting keys written before a rotation.</summary>
    public IReadOnlyList<X509Certificate2> All => _certificates.Value.All;

    private static (X509Certificate2, IReadOnlyList<X509Certificate2>) Load(KeyProtectionOptions settings, IOptions<RecordsOptions> records, ILogger log)
    {
        X509Certificate2 current;
        if (!string.IsNullOrWhiteSpace(settings.CertificatePath))
        {
            current = Open(settings.CertificatePath, settings.CertificatePassword);
        }
        else
        {
            var path = Path.Combine(records.DataPath(), KeyProtectionOptions.GeneratedFileName);
            if (!File.Exists(path))
            {
                Generate(path);
                log.LogWarning("No DataProtection:CertificatePath is configured: made a certificate to encrypt the data-protection keys at {Path}. "
                    + "Back it up apart from the database; without it, staff must sign in again and reset links stop working.", path);
            }
            current = Open(path, null);
        }
        var all = new List<X509Certificate2> { current };
        all.AddRange(settings.PreviousCertificatePaths.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => Open(p, settings.CertificatePassword)));
        return (current, all);
    }

    private static X509Certificate2 Open(string path, string? password)
    {
        var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.EphemeralKeySet);
        if (!certificate.HasPrivateKey || certificate.GetRSAPrivateKey() is null)
        {
            throw new InvalidOperationException($"The data-protection certificate {path} has no RSA private key; it cannot decrypt the keys it protects.");
        }
        return certificate;
    }

    /// <summary>
    /// Written under a temporary name and moved into place, so two hosts starting together on one data folder end up
    /// with the same certificate (the second move fails and both read the winner's file).
    /// </summary>
    private static void Generate(string path)
    {
        using var key = RSA.Create(3072);
        var request = new CertificateRequest("CN=RecordsRequests data-protection keys", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(100));
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var file = new FileStream(temporary, options))
        {
            file.Write(certificate.Export(X509ContentType.Pkcs12));
        }
        try
        {
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
        }
    }
}

public static class KeyProtection
{
    /// <summary>New keys are encrypted to the current certificate; keys encrypted to it or a previous one can be read.</summary>
    public static IServiceCollection AddKeyProtection(this IServiceCollection services)
    {
        services.AddOptions<KeyProtectionOptions>().BindConfiguration(KeyProtectionOptions.SectionName);
        services.AddSingleton<KeyProtectionCertificates>();
        services.AddOptions<KeyManagementOptions>().Configure<KeyProtectionCertificates, ILoggerFactory>((keys, certificates, logs) =>
            keys.XmlEncryptor = new CertificateKeyEncryptor(new CertificateXmlEncryptor(certificates.Current, logs)));
        return services;
    }
}

/// <summary>
/// The framework's certificate encryption (XML Encryption, RSA-OAEP key transport, AES-256 content), naming our
/// decryptor in each stored key so the certificates come from configuration rather than an operating-system store.
/// </summary>
internal sealed class CertificateKeyEncryptor(CertificateXmlEncryptor inner) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(System.Xml.Linq.XElement plaintextElement) =>
        new(inner.Encrypt(plaintextElement).EncryptedElement, typeof(CertificateKeyDecryptor));
}

/// <summary>Reads a key written by <see cref="CertificateKeyEncryptor"/> with the configured certificates (created by the key ring with its services).</summary>
public sealed class CertificateKeyDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public System.Xml.Linq.XElement Decrypt(System.Xml.Linq.XElement encryptedElement)
    {
        var certificates = services.GetRequiredService<KeyProtectionCertificates>().All;
        var document = new System.Xml.XmlDocument { PreserveWhitespace = true };
        // The key's XML is the application's own (read from its database), wrapped so the decrypted element can replace it.
        document.LoadXml(new System.Xml.Linq.XElement("root", encryptedElement).ToString(System.Xml.Linq.SaveOptions.DisableFormatting));
        new ConfiguredCertificateXml(document, certificates).DecryptDocument();
        return System.Xml.Linq.XElement.Parse(document.DocumentElement!.FirstChild!.OuterXml);
    }

    private sealed class ConfiguredCertificateXml(System.Xml.XmlDocument document, IReadOnlyList<X509Certificate2> certificates)
        : System.Security.Cryptography.Xml.EncryptedXml(document)
    {
        public override byte[]? DecryptEncryptedKey(System.Security.Cryptography.Xml.EncryptedKey encryptedKey)
        {
            var named = encryptedKey.KeyInfo.OfType<System.Security.Cryptography.Xml.KeyInfoX509Data>()
                .SelectMany(data => data.Certificates?.OfType<X509Certificate2>() ?? []).Select(c => c.Thumbprint).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var useOaep = encryptedKey.EncryptionMethod?.KeyAlgorithm == XmlEncRSAOAEPUrl;
            foreach (var certificate in certificates.Where(c => named.Count == 0 || named.Contains(c.Thumbprint)))
            {
                using var key = certificate.GetRSAPrivateKey();
                if (key is not null)
                {
                    return DecryptKey(encryptedKey.CipherData.CipherValue!, key, useOaep);
                }
            }
            throw new CryptographicException("A data-protection key was encrypted to a certificate that is not configured (DataProtection:CertificatePath or PreviousCertificatePaths).");
        }
    }
}
