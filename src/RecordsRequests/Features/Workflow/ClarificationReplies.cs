using RecordsRequests.Features.Intake;

namespace RecordsRequests.Features.Workflow;

/// <summary>
/// A requester's reply, threaded onto a request by e-mail intake, completes the clarification the workflow waits
/// for. Replies at any other time only join the timeline. Idempotent: once the workflow has moved on, a second
/// delivery finds nothing waiting.
/// </summary>
public sealed class ClarificationReplies(RequestLifecycle lifecycle, ILogger<ClarificationReplies> log) : IRequestReplyListener
{
    public async Task OnReplyReceivedAsync(RequestReply reply, CancellationToken cancellationToken)
    {
        var result = await lifecycle.PublishAsync(reply.RequestId, LifecycleEvent.ClarificationReceived, "replied",
            $"Requester replied by e-mail (message {reply.MessageId}).", cancellationToken);
        if (result.Outcome == RequestLifecycle.PublishOutcome.Accepted)
        {
            log.LogInformation("Reply on {TrackingNumber} resumed the workflow after clarification", reply.TrackingNumber);
        }
    }
}
