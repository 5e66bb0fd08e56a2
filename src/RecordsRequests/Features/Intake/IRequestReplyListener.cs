namespace RecordsRequests.Features.Intake;

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
