namespace RecordsRequests.Features.Intake;

/// <summary>
/// A request an incoming message belongs to, and how that was established. <paramref name="Proven"/> when the message
/// carries a secret only our mail handed out (the request's reply address, one of our outbound Message-IDs);
/// <paramref name="RequesterConfirmed"/> when the requester opened the confirmation link sent to <paramref name="RequesterEmail"/>.
/// The factories below are the one place that says which references prove a reply and which only claim one, for the
/// lookup of one message (<see cref="DatabaseThreadLookup"/>) and of a batch (<see cref="BatchThreadLookup"/>) alike.
/// </summary>
public sealed record ThreadMatch(Guid RequestId, string TrackingNumber, string How, bool Proven = false, string? RequesterEmail = null,
    bool RequesterConfirmed = false)
{
    /// <summary>How many of a requester's newest messages a subject is compared with (<see cref="BySenderAndSubject"/>).</summary>
    public const int RequesterThreadCandidates = 200;

    /// <summary>The Message-IDs of In-Reply-To/References as they are looked up: without brackets, of a storable length, at most 100.</summary>
    public static List<string> ThreadIds(IEnumerable<string> messageIds) =>
        messageIds.Select(id => id.Trim('<', '>', ' ')).Where(id => id.Length is > 0 and <= 1000).Take(100).ToList();

    public static ThreadMatch ByReplyAddress(Guid requestId, string trackingNumber, string? requesterEmail) =>
        new(requestId, trackingNumber, "sent to the request's reply address", Proven: true, requesterEmail);

    /// <summary>Our Message-IDs are random and only the recipient of our mail has seen them: quoting one is proof.</summary>
    public static ThreadMatch ByOurMessage(Guid requestId, string trackingNumber, string messageId, string? requesterEmail) =>
        new(requestId, trackingNumber, $"In-Reply-To/References names our message <{messageId}>", Proven: true, requesterEmail);

    /// <summary>A Message-ID the sender chose (the requester's own) may be known to others: a claim, not proof.</summary>
    public static ThreadMatch ByTheirMessage(Guid requestId, string trackingNumber, string messageId, string? requesterEmail, bool requesterConfirmed) =>
        new(requestId, trackingNumber, $"In-Reply-To/References names message <{messageId}> of the request", RequesterEmail: requesterEmail,
            RequesterConfirmed: requesterConfirmed);

    public static ThreadMatch ByTrackingNumber(Guid requestId, string trackingNumber, string? requesterEmail, bool requesterConfirmed) =>
        new(requestId, trackingNumber, $"tracking number {trackingNumber} in the subject", RequesterEmail: requesterEmail,
            RequesterConfirmed: requesterConfirmed);

    public static ThreadMatch BySenderAndSubject(Guid requestId, string trackingNumber, string? requesterEmail, bool requesterConfirmed) =>
        new(requestId, trackingNumber, "same sender and subject as the requester's conversation", RequesterEmail: requesterEmail,
            RequesterConfirmed: requesterConfirmed);
}
