using MimeKit;

namespace RecordsRequests.Features.Intake;

/// <summary>
/// Whether the district's own mail system marked a message as spam before intake fetched it. Its filter writes its
/// verdict on top of the message, above the Received header its server added; a verdict below that header was written
/// by whoever sent the message and is ignored (it could only hold back the sender's own mail, but it is not the
/// district's word). Believed only when a trusted upstream is configured
/// (<see cref="SenderAuthenticationOptions.TrustedAuthenticationServers"/>) and never for mail the SMTP listener
/// received directly, which has no upstream.
/// </summary>
public static class UpstreamSpamVerdict
{
    /// <summary>SCL 5 and above is what Microsoft 365 delivers to the junk folder.</summary>
    private const int JunkConfidenceLevel = 5;

    /// <returns>Why the message counts as spam, or null.</returns>
    public static SpamVerdict? Of(MimeMessage message, IReadOnlyCollection<string> trustedUpstream, IntakeEnvelope? envelope)
    {
        if (envelope?.PeerAddress is not null || trustedUpstream.Count == 0)
        {
            return null;
        }
        var headers = message.Headers;
        var topmostReceived = headers.IndexOf(HeaderId.Received);
        if (topmostReceived < 0)
        {
            return null;
        }
        for (var i = 0; i < topmostReceived; i++)
        {
            var header = headers[i];
            var value = header.Value?.Trim() ?? "";
            if (header.Field.Equals("X-Spam-Flag", StringComparison.OrdinalIgnoreCase) && value.StartsWith("YES", StringComparison.OrdinalIgnoreCase))
            {
                return SpamVerdict.MarkedBy("the district's mail system", "X-Spam-Flag: YES");
            }
            if (header.Field.Equals("X-MS-Exchange-Organization-SCL", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var level)
                && level >= JunkConfidenceLevel)
            {
                return SpamVerdict.MarkedBy("Microsoft 365", $"spam confidence level {level}");
            }
        }
        return null;
    }
}
