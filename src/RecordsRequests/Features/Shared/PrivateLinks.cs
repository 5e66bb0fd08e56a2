using System.Text.RegularExpressions;

namespace RecordsRequests.Features.Shared;

/// <summary>
/// The requester's private links (their status page, their release package, their address confirmation) inside a
/// text, replaced by words. Each link opens the requester's records to whoever holds it, and the database keeps only
/// its token's hash (<see cref="SecretLinkToken"/>). The e-mail that carries a link must hold it until it is
/// delivered; every copy kept after that (the timeline's copy of the sent mail, the outbox row, the audit trail) is
/// masked, so no staff page shows a working link and no copy of the database holds one.
/// </summary>
public static partial class PrivateLinks
{
    public const string Masked = "[private link, sent only to the requester]";

    public static string Mask(string text) => Link().Replace(text, Masked);

    // The routes are the status page (StatusLinks.RoutePrefix), the release package (/release/{token}) and the address
    // confirmation (AddressConfirmations.RoutePrefix); the optional scheme and host are the public base URL's.
    [GeneratedRegex(@"(?:https?://[^\s/]+(?:/[^\s/]+)*?)?/(?:status|release|confirm-address)/[A-Za-z0-9_-]{20,100}")]
    private static partial Regex Link();
}
