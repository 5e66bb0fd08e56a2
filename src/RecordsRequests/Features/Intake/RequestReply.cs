namespace RecordsRequests.Features.Intake;

/// <summary>A message from outside that intake threaded onto an existing request.</summary>
/// <param name="MessageId">The <c>messages</c> row holding it; stable across redeliveries, so listeners can be idempotent on it.</param>
public sealed record RequestReply(Guid RequestId, string TrackingNumber, Guid MessageId, string? FromAddress, string Subject, string BodyText,
    DateTimeOffset ReceivedAt);
