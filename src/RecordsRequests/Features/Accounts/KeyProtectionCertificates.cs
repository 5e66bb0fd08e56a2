using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Accounts;

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
