namespace RecordsRequests.Features.Intake;

/// <summary>
/// A request an incoming message belongs to, and how that was established. <paramref name="Proven"/> when the message
/// carries a secret only our mail handed out (the request's reply address, one of our outbound Message-IDs);
/// <paramref name="RequesterConfirmed"/> when the requester opened the confirmation link sent to <paramref name="RequesterEmail"/>.
/// </summary>
public sealed record ThreadMatch(Guid RequestId, string TrackingNumber, string How, bool Proven = false, string? RequesterEmail = null,
    bool RequesterConfirmed = false);
