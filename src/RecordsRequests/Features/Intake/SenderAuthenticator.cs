using System.Net;
using System.Text.RegularExpressions;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using ARSoft.Tools.Net.Spf;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Cryptography;

namespace RecordsRequests.Features.Intake;

/// <summary>
/// Checks the sender of inbound mail. Mail the SMTP listener receives directly is checked here: DKIM with MimeKit's
/// verifier and SPF for the connecting address, both with live DNS. Mail fetched from a mailbox (IMAP, a file) was
/// checked by the district's own mail system, whose <c>Authentication-Results</c> header is trusted only when its
/// server name is configured in <see cref="SenderAuthenticationOptions.TrustedAuthenticationServers"/> and the header is
/// the topmost one (a sender can write any header below it).
/// </summary>
public sealed partial class SenderAuthenticator(IOptions<IntakeOptions> options, ILogger<SenderAuthenticator> log)
{
    private readonly Lazy<IDnsResolver> _resolver = new(() => CreateResolver(options.Value.SenderAuthentication));

    public async Task<SenderCheck> CheckAsync(MimeMessage message, IntakeEnvelope? envelope, CancellationToken cancellationToken)
    {
        var fromDomain = message.From.Mailboxes.FirstOrDefault()?.Domain?.Trim().TrimEnd('.').ToLowerInvariant();
        if (string.IsNullOrEmpty(fromDomain))
        {
            return SenderCheck.NotChecked("no From domain to authenticate");
        }
        if (envelope?.PeerAddress is null)
        {
            return FromTrustedHeader(message, fromDomain, envelope?.Upstream);
        }
        try
        {
            var dkim = await CheckDkimAsync(message, fromDomain, cancellationToken);
            if (dkim.AlignedPass)
            {
                return dkim;
            }
            var spf = await CheckSpfAsync(envelope, fromDomain, cancellationToken);
            return spf.AlignedPass ? spf : new SenderCheck(false, $"{dkim.Summary}; {spf.Summary}");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A DNS outage must not drop mail or make it trusted: it is treated as unverified.
            log.LogWarning(e, "Sender authentication of mail from {Domain} failed", fromDomain);
            return SenderCheck.NotChecked($"sender authentication could not be completed ({e.GetType().Name})");
        }
    }

    private SenderCheck FromTrustedHeader(MimeMessage message, string fromDomain, TrustedUpstream? upstream)
    {
        var trusted = options.Value.SenderAuthentication.TrustedAuthenticationServers.Where(s => !string.IsNullOrWhiteSpace(s))
            .Concat(upstream?.AuthServIds ?? []).ToList();
        var topmost = message.Headers.FirstOrDefault(h => h.Id == HeaderId.AuthenticationResults);
        if (trusted.Count == 0 && upstream is null)
        {
            return SenderCheck.NotChecked("no trusted mail server is configured to vouch for senders");
        }
        if (topmost is null || !AuthenticationResults.TryParse(topmost.RawValue, out var results))
        {
            return SenderCheck.NotChecked("no Authentication-Results from the district's mail server");
        }
        var server = results.AuthenticationServiceIdentifier;
        if (string.IsNullOrEmpty(server) && upstream is { WritesUnnamedResults: true })
        {
            server = upstream.Name;
        }
        else if (server is null || !trusted.Contains(server, StringComparer.OrdinalIgnoreCase))
        {
            return SenderCheck.NotChecked($"the topmost Authentication-Results is from '{results.AuthenticationServiceIdentifier}', not a trusted server");
        }
        foreach (var result in results.Results)
        {
            var verdict = result.Result?.ToLowerInvariant();
            if (verdict != "pass")
            {
                continue;
            }
            var method = result.Method.ToLowerInvariant();
            var domain = method switch
            {
                "dmarc" => Property(result, "header", "from"),
                "dkim" => Property(result, "header", "d") ?? Property(result, "header", "i")?.Split('@').Last(),
                "spf" => Property(result, "smtp", "mailfrom")?.Split('@').Last(),
                _ => null,
            };
            if (domain is not null && Aligned(domain, fromDomain))
            {
                return new SenderCheck(true, $"{method}=pass for {domain}, reported by {server}");
            }
        }
        return new SenderCheck(false, $"{server} reported no pass for {fromDomain} ({Summarize(results)})");
    }

    private static string? Property(AuthenticationMethodResult result, string type, string name) =>
        result.Properties.FirstOrDefault(p => p.PropertyType.Equals(type, StringComparison.OrdinalIgnoreCase)
            && p.Property.Equals(name, StringComparison.OrdinalIgnoreCase))?.Value?.Trim().TrimEnd('.').ToLowerInvariant();

    private static string Summarize(AuthenticationResults results) =>
        string.Join(", ", results.Results.Select(r => $"{r.Method}={r.Result}"));

    private async Task<SenderCheck> CheckDkimAsync(MimeMessage message, string fromDomain, CancellationToken cancellationToken)
    {
        var signatures = message.Headers.Where(h => h.Id == HeaderId.DkimSignature).Take(5).ToList();
        if (signatures.Count == 0)
        {
            return new SenderCheck(false, "dkim=none");
        }
        var verifier = new DkimVerifier(new DnsKeyLocator(_resolver.Value));
        var outcomes = new List<string>();
        foreach (var signature in signatures)
        {
            var domain = SignatureDomain().Match(signature.Value) is { Success: true } match ? match.Groups[1].Value.Trim().TrimEnd('.').ToLowerInvariant() : null;
            bool valid;
            try
            {
                valid = await verifier.VerifyAsync(message, signature, cancellationToken);
            }
            catch (Exception e) when (e is FormatException or NotSupportedException or ParseException or InvalidOperationException)
            {
                outcomes.Add($"dkim=permerror ({domain})");
                continue;
            }
            if (valid && domain is not null && Aligned(domain, fromDomain))
            {
                return new SenderCheck(true, $"dkim=pass for {domain}");
            }
            outcomes.Add(valid ? $"dkim=pass for {domain}, not aligned with {fromDomain}" : $"dkim=fail ({domain})");
        }
        return new SenderCheck(false, string.Join(", ", outcomes));
    }

    private async Task<SenderCheck> CheckSpfAsync(IntakeEnvelope envelope, string fromDomain, CancellationToken cancellationToken)
    {
        var mailFrom = envelope.MailFrom;
        var senderDomain = mailFrom?.Split('@') is [_, var d] && d.Length > 0 ? d.Trim().TrimEnd('.').ToLowerInvariant() : null;
        if (senderDomain is null)
        {
            return new SenderCheck(false, "spf=none (no envelope sender)");
        }
        var validator = new SpfValidator { DnsResolver = _resolver.Value };
        if (!string.IsNullOrWhiteSpace(envelope.HeloName) && DomainName.TryParse(envelope.HeloName, out var helo))
        {
            validator.HeloDomain = helo;
        }
        var result = await validator.CheckHostAsync(envelope.PeerAddress!, senderDomain, mailFrom!, false, cancellationToken);
        var verdict = result.Result.ToString().ToLowerInvariant();
        return result.Result == SpfQualifier.Pass && Aligned(senderDomain, fromDomain)
            ? new SenderCheck(true, $"spf=pass for {senderDomain} from {envelope.PeerAddress}")
            : new SenderCheck(false, $"spf={verdict} for {senderDomain} from {envelope.PeerAddress}");
    }

    /// <summary>
    /// Relaxed alignment, approximated without the public-suffix list: one domain equals the other or lies under it.
    /// Two sibling subdomains count as unaligned, which errs on the side of treating mail as from an outsider.
    /// </summary>
    public static bool Aligned(string authenticated, string from) =>
        authenticated.Equals(from, StringComparison.OrdinalIgnoreCase)
        || (from.EndsWith("." + authenticated, StringComparison.OrdinalIgnoreCase) && authenticated.Contains('.', StringComparison.Ordinal))
        || (authenticated.EndsWith("." + from, StringComparison.OrdinalIgnoreCase) && from.Contains('.', StringComparison.Ordinal));

    private static IDnsResolver CreateResolver(SenderAuthenticationOptions settings)
    {
        var servers = settings.DnsServers.Where(s => !string.IsNullOrWhiteSpace(s)).ToList();
        if (servers.Count == 0)
        {
            return new DnsStubResolver();
        }
        // Every server in the list must listen on the same port (a test's server on loopback, or 53).
        var endpoints = servers.Select(IPEndPoint.Parse).ToList();
        var port = endpoints[0].Port == 0 ? 53 : endpoints[0].Port;
        var client = new DnsClient(endpoints.Select(e => e.Address), [new UdpClientTransport(port), new TcpClientTransport(port)], true, 5000);
        return new DnsStubResolver(client);
    }

    [GeneratedRegex(@"(?:^|;)\s*d\s*=\s*([^;\s]+)", RegexOptions.CultureInvariant)]
    private static partial Regex SignatureDomain();

    /// <summary>Looks DKIM keys up in DNS (selector._domainkey.domain TXT), as RFC 6376 §3.6.2 describes.</summary>
    private sealed class DnsKeyLocator(IDnsResolver resolver) : DkimPublicKeyLocatorBase
    {
        public override Org.BouncyCastle.Crypto.AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector,
            CancellationToken cancellationToken = default) =>
            LocatePublicKeyAsync(methods, domain, selector, cancellationToken).GetAwaiter().GetResult();

        public override async Task<Org.BouncyCastle.Crypto.AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector,
            CancellationToken cancellationToken = default)
        {
            if (!methods.Split(':').Contains("dns/txt", StringComparer.OrdinalIgnoreCase))
            {
                throw new NotSupportedException($"DKIM key query method '{methods}' is not supported.");
            }
            var records = await resolver.ResolveAsync<TxtRecord>(DomainName.Parse($"{selector}._domainkey.{domain}"), RecordType.Txt, RecordClass.INet,
                cancellationToken);
            var text = records.Select(r => r.TextData).FirstOrDefault(t => t.Contains("p=", StringComparison.Ordinal))
                ?? throw new InvalidOperationException($"No DKIM key at {selector}._domainkey.{domain}.");
            return GetPublicKey(text);
        }
    }
}
