using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace RecordsRequests.Features.Accounts;

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
