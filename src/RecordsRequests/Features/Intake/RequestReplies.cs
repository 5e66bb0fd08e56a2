namespace RecordsRequests.Features.Intake;

/// <summary>A message from outside that intake threaded onto an existing request.</summary>
/// <param name="MessageId">The <c>messages</c> row holding it; stable across redeliveries, so listeners can be idempotent on it.</param>
public sealed record RequestReply(Guid RequestId, string TrackingNumber, Guid MessageId, string? FromAddress, string Subject, string BodyText,
    DateTimeOffset ReceivedAt);

/// <summary>
/// The seam for the workflow: every registered listener is told, after the reply has been committed on the request's
/// timeline, that a reply arrived (for example the clarification a paused workflow waits for). Register with
/// <c>services.AddScoped&lt;IRequestReplyListener, YourListener&gt;()</c>. A listener that throws is logged and does not
/// undo the intake; it must itself be idempotent on <see cref="RequestReply.MessageId"/>.
/// </summary>
public interface IRequestReplyListener
{
    Task OnReplyReceivedAsync(RequestReply reply, CancellationToken cancellationToken);
}
