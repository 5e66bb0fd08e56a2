using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace RecordsRequests.Features.Accounts;

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
