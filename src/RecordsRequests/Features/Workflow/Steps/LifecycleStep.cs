using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;
using RecordsRequests.Features.Audit;
using RecordsRequests.Features.Correspondence;
using RecordsRequests.Features.Mail;
using RecordsRequests.Features.Requests;
using RecordsRequests.Hosting;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace RecordsRequests.Features.Workflow.Steps;

/// <summary>
/// The body every lifecycle node runs. On entry it moves the request to the node's status (if any) and does the step's
/// side effects in ONE SaveChanges (status, audit and outbox mail commit together), then waits for the node's event if
/// it has one. When the event arrives it applies the decision, again in one SaveChanges, and returns the decision as
/// the outcome that picks the next node. A step may run twice after a crash (the engine persists after the step), so
/// every effect is keyed by the execution pointer's id and skipped when already present.
/// Persisted contract: the class names are what workflows/*.json refer to (through <see cref="StepCatalog"/>).
/// </summary>
public abstract class LifecycleStep(AppDbContext db, HttpOrSystemActor actor, TimeProvider clock, Outbox outbox) : StepBodyAsync
{
    /// <summary>The outcome of a node that does not wait; a definition names its next node under this key.</summary>
    public const string Done = "done";

    /// <summary>Returned when the request was withdrawn: no node is mapped to it, so the workflow ends.</summary>
    public const string Ended = "ended";

    /// <summary>Written with every decision's effects, so its presence proves they committed.</summary>
    public const string DecisionAction = "Workflow.Decision";

    public LifecycleNode Node { get; set; } = null!;

    protected AppDbContext Db => db;
    protected DateTimeOffset Now => clock.GetUtcNow();

    public override async Task<ExecutionResult> RunAsync(IStepExecutionContext context)
    {
        var data = (LifecycleData)context.Workflow.Data;
        var pointerId = context.ExecutionPointer.Id;
        var cancellationToken = context.CancellationToken;
        var request = await db.Requests.Include(r => r.Requester).SingleAsync(r => r.Id == data.RequestId, cancellationToken);
        if (request.Status == RequestStatus.Withdrawn)
        {
            return ExecutionResult.Outcome(Ended);
        }

        if (!context.ExecutionPointer.EventPublished)
        {
            actor.SystemName = "workflow";
            if (Node.Status is { } status && request.Status != status)
            {
                request.MoveTo(status, Now);
            }
            else if (Node.Status is null && Node.WaitFor is not null)
            {
                // A workflow-only node changes no status, so the audit interceptor would not see it: record it explicitly.
                await AuditOnceAsync(request, "Workflow.StepEntered", pointerId, new { node = Node.Id }, cancellationToken);
            }
            await EnterAsync(request, pointerId, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            return Node.WaitFor is { } waitFor
                ? ExecutionResult.WaitForEvent(waitFor.ToString(), request.Id.ToString(), Now.UtcDateTime)
                : ExecutionResult.Outcome(Done);
        }

        var decision = (LifecycleDecision)context.ExecutionPointer.EventData;
        var refusal = Node.Outcomes.Contains(decision.Outcome) ? await RefuseAsync(request, decision, cancellationToken) : $"'{decision.Outcome}' is not a choice here.";
        if (refusal is not null)
        {
            // Checked before publishing too; if a stale event still gets here, wait again rather than take a wrong turn.
            return ExecutionResult.WaitForEvent(Node.WaitFor!.Value.ToString(), request.Id.ToString(), Now.UtcDateTime);
        }
        if (await db.AuditEvents.AnyAsync(a => a.RequestId == request.Id && a.EntityId == pointerId && a.Action == DecisionAction, cancellationToken))
        {
            // The decision committed before a crash stopped the engine from saving its progress: only move on.
            return ExecutionResult.Outcome(decision.Outcome);
        }
        actor.SystemName = decision.Actor;
        await AuditOnceAsync(request, DecisionAction, pointerId,
            new { node = Node.Id, outcome = decision.Outcome, comments = decision.Comments }, cancellationToken);
        await DecideAsync(request, decision, pointerId, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return ExecutionResult.Outcome(decision.Outcome);
    }

    /// <summary>Side effects on entering the node, saved with the status change.</summary>
    protected virtual Task EnterAsync(Request request, string pointerId, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Applies a human decision, saved with its audit event.</summary>
    protected virtual Task DecideAsync(Request request, LifecycleDecision decision, string pointerId, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Why this decision cannot be taken for this request now, or null. Also used before an event is published.</summary>
    public virtual string? Refuse(Request request, LifecycleDecision decision) => null;

    /// <summary>As <see cref="Refuse"/>, for a rule that must read the request's clocks or records.</summary>
    public virtual Task<string?> RefuseAsync(Request request, LifecycleDecision decision, CancellationToken cancellationToken) =>
        Task.FromResult(Refuse(request, decision));

    protected async Task AuditOnceAsync(Request request, string action, string pointerId, object details, CancellationToken cancellationToken)
    {
        if (await db.AuditEvents.AnyAsync(a => a.RequestId == request.Id && a.EntityId == pointerId && a.Action == action, cancellationToken))
        {
            return;
        }
        db.Add(AuditEvent.Create(Now, actor.Name, action, "WorkflowStep", pointerId, request.Id, after: JsonSerializer.SerializeToDocument(details)));
    }

    /// <summary>Queues a letter to the requester once per pointer; a postal-only requester gets an audit note for the officer instead.</summary>
    protected async Task SendOnceAsync(Request request, MailKind kind, string pointerId, LetterDraft letter, CancellationToken cancellationToken)
    {
        var key = $"{kind}:{request.Id}:{pointerId}";
        if (await db.Set<OutboundEmail>().AnyAsync(m => m.IdempotencyKey == key, cancellationToken))
        {
            return;
        }
        if (request.Requester.Email is null)
        {
            await AuditOnceAsync(request, "Workflow.PostalLetterNeeded", pointerId, new { kind }, cancellationToken);
            return;
        }
        outbox.Queue(request.Id, kind, request.Requester.Email, request.Requester.Name, letter.Subject, letter.Body, idempotencyKey: key);
    }
}
