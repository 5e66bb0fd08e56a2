using RecordsRequests.Data;
using RecordsRequests.Features.Correspondence;
using RecordsRequests.Features.Deadlines;
using RecordsRequests.Features.Mail;
using RecordsRequests.Features.Requests;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Workflow.Steps;

/// <summary>
/// After counsel's approval: either no fee, or an itemised good-faith estimate (G.L. c.66 §10(b)(viii), §10(d)) that
/// <see cref="FeeEstimates"/> computes from the officer's hours and pages with the district's rates (950 CMR 32.07(2)),
/// stores, and this step sends. No fee may be asked after a late day-10 response (950 CMR 32.06(2)(c)).
/// </summary>
public sealed class EstimateFee(AppDbContext db, HttpOrSystemActor actor, TimeProvider clock, Outbox outbox, LetterTemplates letters, FeeEstimates fees)
    : LifecycleStep(db, actor, clock, outbox)
{
    public override async Task<string?> RefuseAsync(Request request, LifecycleDecision decision, CancellationToken cancellationToken)
    {
        if (decision.Outcome != "estimate")
        {
            return null;
        }
        return decision.Fee is { } fee
            ? await fees.RefusalAsync(request.Id, fee.ToInput(), cancellationToken)
            : "Enter the search and redaction hours and the pages to copy; the fee is computed from them.";
    }

    protected override async Task DecideAsync(Request request, LifecycleDecision decision, string pointerId, CancellationToken cancellationToken)
    {
        if (decision.Outcome == "estimate")
        {
            var (_, estimate) = await fees.AddEstimateAsync(request.Id, decision.Fee!.ToInput(), cancellationToken);
            request.MoveTo(RequestStatus.AwaitingPayment, Now);
            // The amounts are the fee calculation's (FeeEstimates); the letter lays them out, with the officer's note after them.
            await SendOnceAsync(request, MailKind.FeeEstimate, pointerId, await letters.DraftAsync(LetterKind.FeeEstimate, request, cancellationToken,
                decision.Actor, new Dictionary<string, string?> { ["fee_items"] = FeeEstimates.Itemised(estimate), ["note"] = decision.Comments }), cancellationToken);
        }
    }
}
