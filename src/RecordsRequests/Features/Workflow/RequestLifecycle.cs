using Microsoft.EntityFrameworkCore;
using Npgsql;
using RecordsRequests.Data;
using RecordsRequests.Features.Mail;
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
    Correspondence.LetterTemplates letters,
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

    /// <summary>The outcome, why it was refused, and (when accepted) the node whose step was completed.</summary>
    public sealed record PublishResult(PublishOutcome Outcome, string? Reason = null, string? NodeId = null);

    /// <summary>Starts the lifecycle for a request unless one exists (a unique index makes a race harmless). Returns the instance id.</summary>
    public async Task<string> StartAsync(Guid requestId, CancellationToken cancellationToken)
    {
        if (await FindInstanceIdAsync(requestId, cancellationToken) is { } existing)
        {
            return existing;
        }
        definitions.EnsureRegistered();
        return await StartUnlessStartedAsync(requestId)
            ?? await FindInstanceIdAsync(requestId, cancellationToken)
            ?? throw new InvalidOperationException($"The lifecycle of request {requestId} vanished after a conflicting start.");
    }

    /// <summary>Starts the lifecycle; null when another door (the sweep, a second intake) started it meanwhile, which the unique index tells.</summary>
    private async Task<string?> StartUnlessStartedAsync(Guid requestId)
    {
        try
        {
            return await controller.StartWorkflow(DefinitionId, new LifecycleData { RequestId = requestId }, requestId.ToString());
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return null;
        }
    }

    /// <summary>
    /// Starts the lifecycles of requests opened together (a batch of intake): one query finds those that have one, and the
    /// others start side by side, so the store writes their instances together, in one statement and one commit. A
    /// start that fails is left to the sweep, like one that was never made; the failures are thrown together at the end.
    /// </summary>
    public async Task StartAllAsync(IReadOnlyCollection<Guid> requestIds, CancellationToken cancellationToken)
    {
        var references = requestIds.Select(id => id.ToString()).ToArray();
        var started = (await db.Database
                .SqlQuery<string>($"SELECT reference AS \"Value\" FROM workflow.instances WHERE definition_id = {DefinitionId} AND reference = ANY({references})")
                .ToListAsync(cancellationToken))
            .ToHashSet(StringComparer.Ordinal);
        definitions.EnsureRegistered();
        var failures = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        await Parallel.ForEachAsync(references.Where(r => !started.Contains(r)),
            new ParallelOptions { MaxDegreeOfParallelism = ConcurrentStarts, CancellationToken = cancellationToken }, async (reference, _) =>
            {
                try
                {
                    await StartUnlessStartedAsync(Guid.Parse(reference));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    failures.Enqueue(e);
                }
            });
        if (!failures.IsEmpty)
        {
            throw new AggregateException($"{failures.Count} of {references.Length} lifecycles did not start; the sweep starts them.", failures);
        }
    }

    /// <summary>
    /// Lifecycle starts in flight at once. The store writes the instances of starts waiting together in one statement and
    /// one commit, so as many as a batch of intake opens can wait together; the bound only keeps a huge list from
    /// holding every instance in memory at once.
    /// </summary>
    private const int ConcurrentStarts = 500;

    /// <summary>
    /// Completes the human step the request's workflow is waiting on. The decision is checked here, so a person sees
    /// a refusal at once, and again by the step when the event arrives.
    /// </summary>
    public async Task<PublishResult> PublishAsync(Guid requestId, LifecycleEvent lifecycleEvent, string outcome, string? comments, CancellationToken cancellationToken,
        FeeFigures? fee = null)
    {
        var view = await DescribeAsync(requestId, cancellationToken);
        var waiting = view?.Waiting.FirstOrDefault(w => w.Event == lifecycleEvent);
        if (view is null || waiting is null)
        {
            return new PublishResult(PublishOutcome.NotWaiting, "This step was already decided, or the request has moved on; the page now shows where it stands.");
        }
        if (!waiting.Node.Outcomes.Contains(outcome))
        {
            return new PublishResult(PublishOutcome.Refused, $"That is not a choice at \"{LifecycleWords.Node(waiting.Node.Id)}\".");
        }
        if (await MissingEvidenceAsync(requestId, lifecycleEvent, outcome, cancellationToken) is { } missing)
        {
            return new PublishResult(PublishOutcome.Refused, missing);
        }
        var decision = new LifecycleDecision { Outcome = outcome, Actor = actor.Name, Comments = string.IsNullOrWhiteSpace(comments) ? null : comments.Trim(), Fee = fee };
        var request = await db.Requests.AsNoTracking().Include(r => r.Requester).SingleAsync(r => r.Id == requestId, cancellationToken);
        var step = (LifecycleStep)ActivatorUtilities.CreateInstance(services, waiting.BodyType);
        step.Node = waiting.Node;
        if (await step.RefuseAsync(request, decision, cancellationToken) is { } reason)
        {
            return new PublishResult(PublishOutcome.Refused, reason);
        }
        await controller.PublishEvent(lifecycleEvent.ToString(), requestId.ToString(), decision);
        return new PublishResult(PublishOutcome.Accepted, NodeId: waiting.Node.Id);
    }

    /// <summary>
    /// Decisions this door accepts only with another feature's record of them: counsel's approval or return is valid only
    /// as the counsel review that binds it to the exact redactions approved (c.66 §10(b)(iv) withholdings are counsel's
    /// to approve; see Redactions.CounselReviewEvidence). Without a registered witness such an event is refused.
    /// </summary>
    private static readonly LifecycleEvent[] EvidencedEvents = [LifecycleEvent.CounselDecided];

    private async Task<string?> MissingEvidenceAsync(Guid requestId, LifecycleEvent lifecycleEvent, string outcome, CancellationToken cancellationToken)
    {
        if (!EvidencedEvents.Contains(lifecycleEvent))
        {
            return null;
        }
        var witnesses = services.GetServices<IDecisionEvidence>().Where(w => w.Event == lifecycleEvent).ToList();
        if (witnesses.Count == 0)
        {
            return "This decision can only be made on its own page.";
        }
        foreach (var witness in witnesses)
        {
            if (await witness.RefusalAsync(requestId, outcome, cancellationToken) is { } refusal)
            {
                return refusal;
            }
        }
        return null;
    }

    /// <summary>
    /// The human steps a page action completes on its way to the step it stands for, by the node the workflow waits at.
    /// Sending redactions to counsel while still collecting says the collection is done; releasing before a fee was
    /// asked says there is no fee. Nothing here passes an identity check, a petition, a clarification or a payment: from
    /// those nodes the action is refused with the reason.
    /// </summary>
    private static readonly Dictionary<(LifecycleEvent Target, string From), (LifecycleEvent Event, string Outcome)[]> ImpliedSteps = new()
    {
        [(LifecycleEvent.ReviewCompleted, "collect")] = [(LifecycleEvent.CollectionCompleted, "collected")],
        [(LifecycleEvent.ResponseChosen, "fee")] = [(LifecycleEvent.FeeDecided, "no-fee")],
    };

    /// <summary>How long a page waits for the engine to take a step before it answers the person who asked.</summary>
    public static readonly TimeSpan StepPatience = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Why a page action that stands for <paramref name="target"/> cannot be taken now, in words, or null if it can
    /// (the workflow waits for it, or for a step the action implies). A request without a lifecycle (imported from
    /// another system) has nothing to disagree with, so the action stands on its own there.
    /// </summary>
    public async Task<string?> RefusalAsync(Guid requestId, LifecycleEvent target, CancellationToken cancellationToken)
    {
        if (await FindInstanceIdAsync(requestId, cancellationToken) is null)
        {
            return null;
        }
        // Between two steps the workflow waits for nothing; give the engine a moment to reach the next one.
        await WaitUntilAsync(requestId, v => v.Status != WorkflowStatus.Runnable || v.Waiting.Count > 0, cancellationToken);
        var view = await DescribeAsync(requestId, cancellationToken);
        if (view is null || view.Status != WorkflowStatus.Runnable)
        {
            return "This request's workflow has ended; nothing more can be done on it from here.";
        }
        if (view.Waiting.Any(w => w.Event == target || ImpliedSteps.ContainsKey((target, w.Node.Id))))
        {
            return null;
        }
        var at = view.Waiting.Select(w => LifecycleWords.Node(w.Node.Id)).DefaultIfEmpty("a step that is still running").First();
        return target switch
        {
            LifecycleEvent.ReviewCompleted => $"This request is at \"{at}\"; it can go to counsel only from collecting or review.",
            LifecycleEvent.CounselDecided => $"This request is at \"{at}\", not with counsel: the officer has not sent it for review.",
            LifecycleEvent.ResponseChosen => $"This request is at \"{at}\"; records can be released only after counsel's approval and any fee.",
            _ => $"This request is at \"{at}\", which this action does not complete.",
        };
    }

    /// <summary>
    /// A page action completes the step it stands for, first completing the steps it implies (see <see cref="ImpliedSteps"/>)
    /// and waiting for the engine to take each. Refused with the reason when the workflow is elsewhere.
    /// </summary>
    public async Task<PublishResult> CompleteThroughAsync(Guid requestId, LifecycleEvent target, string outcome, string? comments, CancellationToken cancellationToken)
    {
        if (await RefusalAsync(requestId, target, cancellationToken) is { } refusal)
        {
            return new PublishResult(PublishOutcome.Refused, refusal);
        }
        var view = await DescribeAsync(requestId, cancellationToken);
        if (view is null)
        {
            return new PublishResult(PublishOutcome.NotWaiting);
        }
        if (view.Waiting.All(w => w.Event != target))
        {
            var from = view.Waiting.First(w => ImpliedSteps.ContainsKey((target, w.Node.Id)));
            foreach (var (implied, impliedOutcome) in ImpliedSteps[(target, from.Node.Id)])
            {
                var result = await PublishAsync(requestId, implied, impliedOutcome, null, cancellationToken);
                if (result.Outcome != PublishOutcome.Accepted)
                {
                    return result;
                }
            }
            if (!await WaitUntilAsync(requestId, v => v.Waiting.Any(w => w.Event == target), cancellationToken))
            {
                return new PublishResult(PublishOutcome.NotWaiting,
                    $"\"{LifecycleWords.Node(from.Node.Id)}\" is recorded, but the workflow has not moved on yet; try again in a minute.");
            }
        }
        var published = await PublishAsync(requestId, target, outcome, comments, cancellationToken);
        if (published.Outcome == PublishOutcome.Accepted)
        {
            await WaitUntilMovedAsync(requestId, target, cancellationToken);
        }
        return published;
    }

    /// <summary>
    /// Waits (a few seconds at most) until the workflow no longer waits for <paramref name="decided"/>, so the page a
    /// person returns to after a decision shows the next step rather than the one just taken. False if it did not.
    /// </summary>
    public Task<bool> WaitUntilMovedAsync(Guid requestId, LifecycleEvent decided, CancellationToken cancellationToken) =>
        WaitUntilAsync(requestId, v => v.Status != WorkflowStatus.Runnable || (v.Waiting.Count > 0 && v.Waiting.All(w => w.Event != decided)), cancellationToken);

    private async Task<bool> WaitUntilAsync(Guid requestId, Func<LifecycleView, bool> condition, CancellationToken cancellationToken)
    {
        // Real time, not the injected clock: this waits on the engine's work, which a test's frozen clock does not advance.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            if (await DescribeAsync(requestId, cancellationToken) is not { } view || condition(view))
            {
                return true;
            }
            if (waited.Elapsed >= StepPatience)
            {
                return false;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
        }
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
            var letter = await letters.DraftAsync(Correspondence.LetterKind.Withdrawal, request, cancellationToken,
                inputs: new Dictionary<string, string?> { ["note"] = string.IsNullOrWhiteSpace(reason) ? null : $"Note: {reason.Trim()}" });
            outbox.Queue(request.Id, MailKind.WithdrawalConfirmation, email, request.Requester.Name, letter.Subject, letter.Body, idempotencyKey: $"withdrawal:{request.Id}");
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
