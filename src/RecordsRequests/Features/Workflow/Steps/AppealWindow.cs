using System.Globalization;
using RecordsRequests.Data;
using RecordsRequests.Features.Deadlines;
using RecordsRequests.Features.Mail;
using RecordsRequests.Features.Requests;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Workflow.Steps;

/// <summary>
/// After the response: an appeal to the Supervisor of Records is possible until the request's stored appeal clock,
/// 90 calendar days from the written response, or from receipt when the response was late (G.L. c.66 §10A(a);
/// 950 CMR 32.08(1), computed in <see cref="ClockCalculator"/>). "appeal-received" records it; "close" closes the request.
/// </summary>
public sealed class AppealWindow(AppDbContext db, HttpOrSystemActor actor, TimeProvider clock, Outbox outbox, RequestClockUpdater clocks, DistrictTime time)
    : LifecycleStep(db, actor, clock, outbox)
{
    public override async Task<string?> RefuseAsync(Request request, LifecycleDecision decision, CancellationToken cancellationToken)
    {
        if (decision.Outcome != "appeal-received")
        {
            return null;
        }
        var window = (await clocks.RecomputeAsync(request, cancellationToken))[ClockKind.AppealWindowEnds];
        return time.Today > window.Date
            ? string.Create(CultureInfo.InvariantCulture, $"The appeal window closed on {window.Date:MMMM d, yyyy}: {window.Rule}.")
            : null;
    }

    protected override Task DecideAsync(Request request, LifecycleDecision decision, string pointerId, CancellationToken cancellationToken)
    {
        request.MoveTo(decision.Outcome == "appeal-received" ? RequestStatus.UnderAppeal : RequestStatus.Closed, Now);
        return Task.CompletedTask;
    }
}
