using RecordsRequests.Data;
using RecordsRequests.Features.Correspondence;
using RecordsRequests.Features.Mail;
using RecordsRequests.Features.Requests;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Workflow.Steps;

/// <summary>Sends the automatic acknowledgement (tracking number, governing law, computed dates).</summary>
public sealed class Acknowledge(AppDbContext db, HttpOrSystemActor actor, TimeProvider clock, Outbox outbox, AcknowledgeRequest acknowledge)
    : LifecycleStep(db, actor, clock, outbox)
{
    protected override async Task EnterAsync(Request request, string pointerId, CancellationToken cancellationToken) =>
        // Idempotent by its own key (one acknowledgement per request); it saves the status change with the mail.
        await acknowledge.HandleAsync(request.Id, cancellationToken);
}
