using System.Net;

namespace RecordsRequests.Features.Intake;

/// <summary>
/// What the delivery said about a message, beside its bytes: for the SMTP listener, who connected and the envelope; for
/// a mailbox connection, the provider whose mail system delivered it (<see cref="Upstream"/>).
/// </summary>
public sealed record IntakeEnvelope(IPAddress? PeerAddress, string? HeloName, string? MailFrom, IReadOnlyList<string> Recipients, TrustedUpstream? Upstream = null)
{
    /// <summary>Mail fetched through a mailbox connection from the provider that delivered it into that mailbox.</summary>
    public static IntakeEnvelope FetchedFrom(TrustedUpstream upstream) => new(null, null, null, [], upstream);
}
