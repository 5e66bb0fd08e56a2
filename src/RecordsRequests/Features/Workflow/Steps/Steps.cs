using System.Globalization;
using RecordsRequests.Data;
using RecordsRequests.Features.Correspondence;
using RecordsRequests.Features.Deadlines;
using RecordsRequests.Features.Mail;
using RecordsRequests.Features.Requests;
using Microsoft.EntityFrameworkCore;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Workflow.Steps;

/// <summary>A step with no action of its own: it enters its status (if any) and, if it waits, goes wherever the person deciding chooses.</summary>
public sealed class PlainStep(AppDbContext db, HttpOrSystemActor actor, TimeProvider clock, Outbox outbox) : LifecycleStep(db, actor, clock, outbox);

/// <summary>Sends the automatic acknowledgement (tracking number, governing law, computed dates).</summary>
public sealed class Acknowledge(AppDbContext db, HttpOrSystemActor actor, TimeProvider clock, Outbox outbox, AcknowledgeRequest acknowledge)
    : LifecycleStep(db, actor, clock, outbox)
{
    protected override async Task EnterAsync(Request request, string pointerId, CancellationToken cancellationToken) =>
        // Idempotent by its own key (one acknowledgement per request); it saves the status change with the mail.
        await acknowledge.HandleAsync(request.Id, cancellationToken);
}

/// <summary>
/// Triage: a public-records request (G.L. c.66 §10), a parent's or eligible student's request for their own student
/// record (603 CMR 23.07, identity checked next), a question back to the requester, or not a request at all.
/// </summary>
public sealed class Triage(AppDbContext db, HttpOrSystemActor actor, TimeProvider clock, Outbox outbox, LetterTemplates letters) : LifecycleStep(db, actor, clock, outbox)
{
    public override string? Refuse(Request request, LifecycleDecision decision) =>
        decision.Outcome == "clarify" && string.IsNullOrWhiteSpace(decision.Comments) ? "Write the question to send to the requester." : null;

    protected override async Task DecideAsync(Request request, LifecycleDecision decision, string pointerId, CancellationToken cancellationToken)
    {
        switch (decision.Outcome)
        {
            case "public-records":
                request.Classify(GoverningLaw.MassachusettsPublicRecordsLaw);
                break;
            case "student-record":
                request.Classify(GoverningLaw.StudentRecordAccess);
                break;
            case "clarify":
                request.MoveTo(RequestStatus.AwaitingClarification, Now);
                await SendOnceAsync(request, MailKind.Clarification, pointerId, await letters.DraftAsync(LetterKind.Clarification, request, cancellationToken,
                    decision.Actor, new Dictionary<string, string?> { ["question"] = decision.Comments }), cancellationToken);
                break;
            case "not-a-request":
                request.MoveTo(RequestStatus.NotARequest, Now);
                break;
        }
    }
}

/// <summary>
/// After counsel's approval: either no fee, or an itemised good-faith estimate (G.L. c.66 §10(b)(viii), §10(d)) that
/// <see cref="FeeEstimates"/> computes from the officer's hours and pages with the district's rates (950 CMR 32.07(2)),
/// stores, and this step sends. No fee may be asked after a late day-10 response (950 CMR 32.06(2)(c)).
/// </summary>
public sealed class FeeEstimate(AppDbContext db, HttpOrSystemActor actor, TimeProvider clock, Outbox outbox, LetterTemplates letters, FeeEstimates fees)
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
