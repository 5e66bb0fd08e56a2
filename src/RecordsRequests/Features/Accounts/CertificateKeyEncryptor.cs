using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace RecordsRequests.Features.Accounts;

/// <summary>
/// The framework's certificate encryption (XML Encryption, RSA-OAEP key transport, AES-256 content), naming our
/// decryptor in each stored key so the certificates come from configuration rather than an operating-system store.
/// </summary>
internal sealed class CertificateKeyEncryptor(CertificateXmlEncryptor inner) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(System.Xml.Linq.XElement plaintextElement) =>
        new(inner.Encrypt(plaintextElement).EncryptedElement, typeof(CertificateKeyDecryptor));
}
