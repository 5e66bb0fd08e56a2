using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;
using RecordsRequests.Features.Correspondence;
using RecordsRequests.Features.Deadlines;
using RecordsRequests.Features.Mail;
using RecordsRequests.Features.Requests;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Workflow.Steps;

/// <summary>
/// The written response: full release, partial release or denial (each withholding must cite its exemption, G.L. c.66
/// §10(b)(iv)), or no responsive records. The letter and the status change commit together.
/// </summary>
public sealed class Respond(AppDbContext db, HttpOrSystemActor actor, TimeProvider clock, Outbox outbox, LetterTemplates letters, RequestClockUpdater clocks,
    DistrictTime time) : LifecycleStep(db, actor, clock, outbox)
{
    public override string? Refuse(Request request, LifecycleDecision decision) =>
        decision.Outcome is "partial-release" or "denial" && string.IsNullOrWhiteSpace(decision.Comments)
            ? "List each record or part withheld and the exemption that applies (G.L. c.66 §10(b)(iv))."
            : null;

    protected override async Task DecideAsync(Request request, LifecycleDecision decision, string pointerId, CancellationToken cancellationToken)
    {
        // A release produced before this step already moved the request and sent the response letter with its link
        // (ReleaseProducer): one e-mail per release, so no second letter.
        if (request.Status != RequestStatus.Responded)
        {
            request.MoveTo(RequestStatus.Responded, Now);
        }
        // This letter is a written response (c.66 §10(b)); unless an earlier one is recorded, its date starts the
        // appeal window (950 CMR 32.08(1)) and settles whether day 10 was met.
        var inputs = await clocks.InputsForEditAsync(request.Id, cancellationToken);
        if (inputs.WrittenResponseOn is null)
        {
            inputs.RecordWrittenResponse(time.Today);
            await clocks.RecomputeAsync(request, cancellationToken);
        }
        if (await Db.Set<OutboundEmail>().AnyAsync(m => m.RequestId == request.Id && m.Kind == MailKind.Release, cancellationToken))
        {
            return;
        }
        // Sent as decided, with no officer to fill in blanks: the response template, whose only inputs the decision gives.
        var draft = await letters.DraftAsync(LetterKind.FinalResponse, request, cancellationToken, decision.Actor,
            new Dictionary<string, string?> { ["outcome"] = Outcome(decision.Outcome), ["details"] = decision.Comments });
        await SendOnceAsync(request, MailKind.Response, pointerId, draft, cancellationToken);
    }

    /// <summary>The opening of the response letter for each way the workflow can answer.</summary>
    private static string Outcome(string outcome) => outcome switch
    {
        "full-release" => "The district is releasing the records you requested in full.",
        "partial-release" => "The district is releasing the records you requested in part. The following were withheld or redacted, each under the exemption cited (G.L. c.66 §10(b)(iv); c.4 §7 cl.26):",
        "denial" => "The district is withholding the records you requested, for the reasons and under the exemptions below (G.L. c.66 §10(b)(iv); c.4 §7 cl.26):",
        "no-records" => "After a search the district has no records responsive to your request.",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Unknown response kind."),
    };
}
