using Microsoft.EntityFrameworkCore;
using Npgsql;
using RecordsRequests.Data;
using RecordsRequests.Features.Correspondence;
using RecordsRequests.Features.Requests;
using RecordsRequests.Features.Workflow.Steps;
using RecordsRequests.Hosting;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace RecordsRequests.Features.Workflow;

/// <summary>
/// The one door into a request's lifecycle for the rest of the app: start it, complete the human step it waits on,
/// withdraw the request, and describe where it stands. Other features (dashboard actions, e-mail intake's reply
/// seam, counsel approval) call this; nothing else talks to the engine.
/// </summary>
public sealed class RequestLifecycle(
    IWorkflowController controller,
    IPersistenceProvider store,
    WorkflowDefinitions definitions,
    AppDbContext db,
    ICurrentActor actor,
    TimeProvider clock,
    Outbox outbox,
    IServiceProvider services)
{
    public const string DefinitionId = "request-lifecycle";

    public enum PublishOutcome
    {
        Accepted,
        /// <summary>The request's workflow is not waiting for this event now (already decided, or another step).</summary>
        NotWaiting,
        Refused,
    }

    public sealed record PublishResult(PublishOutcome Outcome, string? Reason = null);

    /// <summary>Starts the lifecycle for a request unless one exists (a unique index makes a race harmless). Returns the instance id.</summary>
    public async Task<string> StartAsync(Guid requestId, CancellationToken cancellationToken)
    {
        if (await FindInstanceIdAsync(requestId, cancellationToken) is { } existing)
        {
            return existing;
        }
        definitions.EnsureRegistered();
        try
        {
            return await controller.StartWorkflow(DefinitionId, new LifecycleData { RequestId = requestId }, requestId.ToString());
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return await FindInstanceIdAsync(requestId, cancellationToken)
                ?? throw new InvalidOperationException($"The lifecycle of request {requestId} vanished after a conflicting start.", e);
        }
    }

    /// <summary>
    /// Completes the human step the request's workflow is waiting on. The decision is checked here, so a person sees
    /// a refusal at once, and again by the step when the event arrives.
    /// </summary>
    public async Task<PublishResult> PublishAsync(Guid requestId, LifecycleEvent lifecycleEvent, string outcome, string? comments, CancellationToken cancellationToken)
    {
        var view = await DescribeAsync(requestId, cancellationToken);
        var waiting = view?.Waiting.FirstOrDefault(w => w.Event == lifecycleEvent);
        if (view is null || waiting is null)
        {
            return new PublishResult(PublishOutcome.NotWaiting, $"This request is not waiting for {lifecycleEvent}.");
        }
        if (!waiting.Node.Outcomes.Contains(outcome))
        {
            return new PublishResult(PublishOutcome.Refused, $"'{outcome}' is not a choice at {waiting.Node.Id}.");
        }
        var decision = new LifecycleDecision { Outcome = outcome, Actor = actor.Name, Comments = string.IsNullOrWhiteSpace(comments) ? null : comments.Trim() };
        var request = await db.Requests.AsNoTracking().Include(r => r.Requester).SingleAsync(r => r.Id == requestId, cancellationToken);
        var step = (LifecycleStep)ActivatorUtilities.CreateInstance(services, waiting.BodyType);
        step.Node = waiting.Node;
        if (step.Refuse(request, decision) is { } reason)
        {
            return new PublishResult(PublishOutcome.Refused, reason);
        }
        await controller.PublishEvent(lifecycleEvent.ToString(), requestId.ToString(), decision);
        return new PublishResult(PublishOutcome.Accepted);
    }

    /// <summary>
    /// The requester withdraws (possible at any point while the request is open). Status, audit and the confirmation
    /// commit together; the workflow is then terminated (or ended by the sweep if this process dies first).
    /// </summary>
    public async Task WithdrawAsync(Guid requestId, string? reason, CancellationToken cancellationToken)
    {
        var request = await db.Requests.Include(r => r.Requester).SingleAsync(r => r.Id == requestId, cancellationToken);
        request.MoveTo(RequestStatus.Withdrawn, clock.GetUtcNow());
        if (request.Requester.Email is { } email)
        {
            outbox.Queue(request.Id, "WithdrawalConfirmation", email, request.Requester.Name, $"[{request.TrackingNumber}] Your records request is withdrawn",
                $"Dear {Correspondence.Greeting.NameFor(request.Requester.Name)},\n\nAs you asked, request {request.TrackingNumber} is withdrawn and the district has stopped work on it."
                + (string.IsNullOrWhiteSpace(reason) ? "" : $"\n\nNote: {reason.Trim()}") + "\n\nRecords Access Officer\n",
                idempotencyKey: $"withdrawal:{request.Id}");
        }
        await db.SaveChangesAsync(cancellationToken);
        if (await FindInstanceIdAsync(requestId, cancellationToken) is { } instanceId)
        {
            // The engine refuses (false) while a worker holds the instance's lock; that lasts a step, so try a few
            // times. If it still holds, the sweep terminates the orphan later (and a step that runs first ends the
            // workflow itself, seeing the withdrawal).
            for (var attempt = 1; !await controller.TerminateWorkflow(instanceId) && attempt < 10; attempt++)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), cancellationToken);
            }
        }
    }

    public sealed record WaitingStep(LifecycleNode Node, LifecycleEvent Event, DateTime Since, Type BodyType);

    public sealed record LifecycleView(string InstanceId, int Version, WorkflowStatus Status, IReadOnlyList<WaitingStep> Waiting,
        IReadOnlyList<ExecutionPointer> History, bool Failing);

    public async Task<LifecycleView?> DescribeAsync(Guid requestId, CancellationToken cancellationToken)
    {
        if (await FindInstanceIdAsync(requestId, cancellationToken) is not { } instanceId)
        {
            return null;
        }
        var instance = await store.GetWorkflowInstance(instanceId, cancellationToken);
        var definition = definitions.Get(instance.WorkflowDefinitionId, instance.Version);
        var waiting = new List<WaitingStep>();
        if (instance.Status == WorkflowStatus.Runnable)
        {
            foreach (var pointer in instance.ExecutionPointers.Where(p => p.Status == PointerStatus.WaitingForEvent))
            {
                if (definition.Steps.FindById(pointer.StepId) is ILifecycleStepDefinition step && step.Node.WaitFor is { } waitFor)
                {
                    waiting.Add(new WaitingStep(step.Node, waitFor, pointer.StartTime ?? instance.CreateTime, ((WorkflowStep)step).BodyType));
                }
            }
        }
        var history = instance.ExecutionPointers.OrderBy(p => p.StartTime ?? DateTime.MaxValue).ToList();
        return new LifecycleView(instance.Id, instance.Version, instance.Status, waiting, history,
            instance.ExecutionPointers.Any(p => p.Status == PointerStatus.Failed || (p.RetryCount > 0 && p.EndTime is null)));
    }

    // Through the request's DbContext, so a page that holds its connection open asks on that connection.
    private async Task<string?> FindInstanceIdAsync(Guid requestId, CancellationToken cancellationToken)
    {
        var reference = requestId.ToString();
        var ids = await db.Database
            .SqlQuery<Guid>($"SELECT id AS \"Value\" FROM workflow.instances WHERE definition_id = {DefinitionId} AND reference = {reference}")
            .ToListAsync(cancellationToken);
        return ids.Count == 0 ? null : ids[0].ToString();
    }
}

/// <summary>Starts a request's lifecycle as soon as the request commits.</summary>
internal sealed class StartLifecycleOnOpen(RequestLifecycle lifecycle) : IRequestOpenedObserver
{
    public Task OnOpenedAsync(Guid requestId, CancellationToken cancellationToken) => lifecycle.StartAsync(requestId, cancellationToken);
}
