using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;
using RecordsRequests.Features.Workflow;
using RecordsRequests.Features.Workflow.Steps;

namespace RecordsRequests.Features.Redactions;

/// <summary>
/// The workflow's counsel step completes only through a counsel review: counsel approve or return the exact set of
/// redactions (<see cref="CounselReview"/>, with its fingerprint), and each review completes the step once. Any other
/// caller of <see cref="RequestLifecycle.PublishAsync"/> is refused, so nothing is released on a decision counsel did not make.
/// </summary>
internal sealed class CounselReviewEvidence(AppDbContext db) : IDecisionEvidence
{
    public LifecycleEvent Event => LifecycleEvent.CounselDecided;

    public async Task<string?> RefusalAsync(Guid requestId, string outcome, CancellationToken cancellationToken)
    {
        CounselDecision? decision = outcome switch
        {
            "approved" => CounselDecision.Approved,
            "returned" => CounselDecision.Returned,
            _ => null,
        };
        if (decision is null)
        {
            return "Counsel either approve or return a request.";
        }
        var reviews = await db.Set<CounselReview>().CountAsync(r => r.RequestId == requestId && r.Decision == decision, cancellationToken);
        // Each review completes the step once: the workflow's decisions at the counsel node with this outcome are the reviews used.
        var used = (await db.AuditEvents.AsNoTracking()
                .Where(a => a.RequestId == requestId && a.Action == LifecycleStep.DecisionAction)
                .Select(a => a.After).ToListAsync(cancellationToken))
            .Count(after => after is not null
                && after.RootElement.TryGetProperty("node", out var node) && node.GetString() == "counsel"
                && after.RootElement.TryGetProperty("outcome", out var taken) && taken.GetString() == outcome);
        return reviews > used
            ? null
            : "Counsel approve or return this request on the counsel review page. Their decision is recorded there with the exact redactions it covers.";
    }
}
