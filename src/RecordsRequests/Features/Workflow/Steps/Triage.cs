using RecordsRequests.Data;
using RecordsRequests.Features.Correspondence;
using RecordsRequests.Features.Mail;
using RecordsRequests.Features.Requests;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Workflow.Steps;

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
