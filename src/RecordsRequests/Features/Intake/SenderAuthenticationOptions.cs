namespace RecordsRequests.Features.Intake;

/// <summary>Section <c>Intake:SenderAuthentication</c>.</summary>
public sealed class SenderAuthenticationOptions
{
    /// <summary>DNS servers ("address" or "address:port") for DKIM and SPF look-ups; empty means the system's resolvers.</summary>
    public List<string> DnsServers { get; set; } = [];

    /// <summary>
    /// The authserv-id of the district's own mail server (e.g. <c>mx.google.com</c>), whose topmost
    /// <c>Authentication-Results</c> header is believed for mail fetched from its mailboxes. Empty: none is believed.
    /// </summary>
    public List<string> TrustedAuthenticationServers { get; set; } = [];
}
