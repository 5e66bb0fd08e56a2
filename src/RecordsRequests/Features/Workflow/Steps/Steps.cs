using System.Globalization;
using RecordsRequests.Data;
using RecordsRequests.Features.Correspondence;
using RecordsRequests.Features.Releases;
using RecordsRequests.Features.Requests;
using Microsoft.EntityFrameworkCore;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Workflow.Steps;

/// <summary>A stage that enters its status (if any) and, if it waits, goes wherever the person deciding chooses.</summary>
public sealed class Stage(AppDbContext db, HttpOrSystemActor actor, TimeProvider clock, Outbox outbox) : LifecycleStep(db, actor, clock, outbox);

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
                await SendOnceAsync(request, "Clarification", pointerId, await letters.DraftAsync(LetterKind.Clarification, request, cancellationToken,
                    decision.Actor, new Dictionary<string, string?> { ["question"] = decision.Comments }), cancellationToken);
                break;
            case "not-a-request":
                request.MoveTo(RequestStatus.NotARequest, Now);
                break;
        }
    }
}

/// <summary>After counsel's approval: either no fee, or a written, itemised good-faith estimate (G.L. c.66 §10(d); 950 CMR 32.07(2)).</summary>
public sealed class FeeEstimate(AppDbContext db, HttpOrSystemActor actor, TimeProvider clock, Outbox outbox, LetterTemplates letters) : LifecycleStep(db, actor, clock, outbox)
{
    public override string? Refuse(Request request, LifecycleDecision decision) =>
        decision.Outcome == "estimate" && string.IsNullOrWhiteSpace(decision.Comments) ? "Enter the itemised estimate to send." : null;

    protected override async Task DecideAsync(Request request, LifecycleDecision decision, string pointerId, CancellationToken cancellationToken)
    {
        if (decision.Outcome == "estimate")
        {
            request.MoveTo(RequestStatus.AwaitingPayment, Now);
            // The amounts are the officer's estimate as entered (the fee calculation's, where it gives them): the letter lays them out.
            await SendOnceAsync(request, "FeeEstimate", pointerId, await letters.DraftAsync(LetterKind.FeeEstimate, request, cancellationToken,
                decision.Actor, new Dictionary<string, string?> { ["fee_items"] = decision.Comments }), cancellationToken);
        }
    }
}

/// <summary>
/// The written response: full release, partial release or denial (each withholding must cite its exemption, G.L. c.66
/// §10(b)(iv)), or no responsive records. The letter and the status change commit together.
/// </summary>
public sealed class Respond(AppDbContext db, HttpOrSystemActor actor, TimeProvider clock, Outbox outbox, LetterTemplates letters) : LifecycleStep(db, actor, clock, outbox)
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
        if (await Db.Set<Release>().AnyAsync(r => r.RequestId == request.Id, cancellationToken))
        {
            return;
        }
        // Sent as decided, with no officer to fill in blanks: the response template, whose only inputs the decision gives.
        var draft = await letters.DraftAsync(LetterKind.FinalResponse, request, cancellationToken, decision.Actor,
            new Dictionary<string, string?> { ["outcome"] = Outcome(decision.Outcome), ["details"] = decision.Comments });
        await SendOnceAsync(request, "Response", pointerId, draft, cancellationToken);
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
/// After the response: an appeal to the Supervisor of Records is possible within 90 calendar days (G.L. c.66 §10A(a);
/// 950 CMR 32.08(1)). "appeal-received" records it; "close" closes the request.
/// </summary>
public sealed class AppealWindow(AppDbContext db, HttpOrSystemActor actor, TimeProvider clock, Outbox outbox) : LifecycleStep(db, actor, clock, outbox)
{
    public static readonly TimeSpan AppealPeriod = TimeSpan.FromDays(90);

    public override string? Refuse(Request request, LifecycleDecision decision) =>
        decision.Outcome == "appeal-received" && Now - request.StatusChangedAt > AppealPeriod
            ? string.Create(CultureInfo.InvariantCulture, $"The response was sent on {request.StatusChangedAt:yyyy-MM-dd}; an appeal must be filed within 90 days.")
            : null;

    protected override Task DecideAsync(Request request, LifecycleDecision decision, string pointerId, CancellationToken cancellationToken)
    {
        request.MoveTo(decision.Outcome == "appeal-received" ? RequestStatus.UnderAppeal : RequestStatus.Closed, Now);
        return Task.CompletedTask;
    }
}
