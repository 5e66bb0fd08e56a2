using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace RecordsRequests.Features.Mailboxes;

/// <summary>
/// The HTTP client every provider call and token request goes through: the system's certificate authorities, plus the
/// ones in <see cref="MailboxOptions.ExtraTrustedAuthoritiesFile"/> when set.
/// </summary>
public sealed class ProviderHttp : IDisposable
{
    private readonly X509Certificate2Collection _extraAuthorities = [];

    public ProviderHttp(IOptions<MailboxOptions> options)
    {
        if (options.Value.ExtraTrustedAuthoritiesFile is { Length: > 0 } file)
        {
            _extraAuthorities.ImportFromPemFile(file);
        }
        Client = new HttpClient(CreateHandler(), disposeHandler: true) { Timeout = TimeSpan.FromSeconds(100) };
    }

    /// <summary>Shared: one connection pool for all connections, as HttpClient is meant to be used.</summary>
    public HttpClient Client { get; }

    public HttpMessageHandler CreateHandler()
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AutomaticDecompression = DecompressionMethods.All };
        if (_extraAuthorities.Count > 0)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = ValidateWithExtraAuthorities;
        }
        return handler;
    }

    private bool ValidateWithExtraAuthorities(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }
        // Only the chain was in question: build it again against the extra authorities alone.
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(_extraAuthorities);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            custom.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
        }
        return custom.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }

    public void Dispose() => Client.Dispose();
}
