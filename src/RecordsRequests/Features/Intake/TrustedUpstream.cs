namespace RecordsRequests.Features.Intake;

/// <summary>
/// The mail system of a connected provider, trusted for the topmost <c>Authentication-Results</c> of mail fetched from
/// it as a configured upstream is (issue 15's rule): the connection itself says which system added that header.
/// </summary>
/// <param name="AuthServIds">The authserv-ids it writes (Gmail: <c>mx.google.com</c>).</param>
/// <param name="WritesUnnamedResults">Exchange Online writes its results without an authserv-id
/// (https://learn.microsoft.com/defender-office-365/message-headers-eop-mdo#authentication-results-message-header).</param>
public sealed record TrustedUpstream(string Name, IReadOnlyList<string> AuthServIds, bool WritesUnnamedResults)
{
    public static readonly TrustedUpstream Microsoft365 = new("Microsoft 365", [], WritesUnnamedResults: true);
    public static readonly TrustedUpstream Google = new("Google Workspace", ["mx.google.com"], WritesUnnamedResults: false);
}
