namespace RecordsRequests.Features.Intake;

/// <param name="QuotedSent">When the original was sent, as the forward's quoted header writes it (a forward in the body).</param>
/// <param name="AttachedSent">The original's own Date header (a forward sent as an attached message).</param>
public sealed record ForwardedRequest(string? SenderName, string SenderAddress, string? Subject, string Description, string? QuotedSent = null,
    DateTimeOffset? AttachedSent = null);
