using RecordsRequests.Features.Requests;
using RecordsRequests.Features.Workflow;
using RecordsRequests.Features.Workflow.Steps;
using WorkflowCore.Models;

namespace RecordsRequests.Tests.Workflow;

public class DefinitionFileTests
{
    private static string Folder => DefinitionLoader.DefaultFolder;

    [Fact]
    public void EveryDefinitionFile_LoadsAndEveryStepResolvesFromTheCatalog()
    {
        var files = Directory.GetFiles(Folder, "*.json");
        Assert.NotEmpty(files);
        foreach (var definition in DefinitionLoader.LoadFolder(Folder))
        {
            Assert.NotEmpty(definition.Steps);
            Assert.Equal(typeof(LifecycleData), definition.DataType);
            foreach (var step in definition.Steps)
            {
                Assert.Contains(step.BodyType, StepCatalog.All);
                Assert.All(step.Outcomes, o => Assert.NotNull(definition.Steps.FindById(o.NextStep)));
            }
        }
    }

    [Fact]
    public void RequestLifecycle_EveryNodeIsReachableFromTheStart()
    {
        var definition = DefinitionLoader.LoadFolder(Folder).Where(d => d.Id == RequestLifecycle.DefinitionId).MaxBy(d => d.Version)!;
        var seen = new HashSet<int>();
        var queue = new Queue<int>([0]);
        while (queue.TryDequeue(out var id))
        {
            if (seen.Add(id))
            {
                foreach (var outcome in definition.Steps.FindById(id).Outcomes)
                {
                    queue.Enqueue(outcome.NextStep);
                }
            }
        }
        Assert.Equal(definition.Steps.Select(s => s.Id).Order(), seen.Order());
    }

    [Fact]
    public void RequestLifecycle_EveryStatusItEntersIsReachableUnderTheRequestRules()
    {
        var definition = DefinitionLoader.LoadFolder(Folder).Single(d => d.Id == RequestLifecycle.DefinitionId && d.Version == 1);
        var statuses = definition.Steps.Select(s => DefinitionLoader.NodeOf(definition, s.Id)!.Status).OfType<RequestStatus>().ToHashSet();
        Assert.Contains(RequestStatus.Closed, statuses);
        Assert.Contains(RequestStatus.InTriage, statuses);
    }

    /// <summary>A district's own definition file written before a step was renamed still loads, and runs the same step.</summary>
    [Theory]
    [InlineData("Stage", typeof(PlainStep))]
    [InlineData("FeeEstimate", typeof(EstimateFee))]
    public void Loader_AcceptsTheOldNameOfARenamedStep(string oldName, Type step)
    {
        var file = new DefinitionFile("x", 1, null, "fee",
        [
            new NodeFile("fee", oldName, null, LifecycleEvent.FeeDecided,
                new Dictionary<string, string> { ["no-fee"] = "closed", ["estimate"] = "closed" }, null),
            new NodeFile("closed", "Plain", RequestStatus.Closed, null, null, null),
        ]);
        Assert.Equal(step, DefinitionLoader.Build(file).Steps.Single(s => s.ExternalId == "fee").BodyType);
    }

    [Fact]
    public void Loader_RefusesAStepNotInTheCatalog()
    {
        var file = new DefinitionFile("x", 1, null, "a", [new NodeFile("a", "System.Diagnostics.Process", null, null, null, null)]);
        var error = Assert.Throws<InvalidDataException>(() => DefinitionLoader.Build(file));
        Assert.Contains("not in the step catalog", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loader_RefusesAnUnknownNextNode()
    {
        var file = new DefinitionFile("x", 1, null, "a",
            [new NodeFile("a", "Plain", null, LifecycleEvent.TriageDecided, new Dictionary<string, string> { ["go"] = "nowhere" }, null)]);
        Assert.Throws<InvalidDataException>(() => DefinitionLoader.Build(file));
    }

    [Fact]
    public void Loader_RefusesAFileNamedAfterAnotherVersion()
    {
        var folder = Directory.CreateTempSubdirectory();
        try
        {
            var json = File.ReadAllText(Path.Combine(Folder, "request-lifecycle.v1.json"));
            var path = Path.Combine(folder.FullName, "request-lifecycle.v2.json");
            File.WriteAllText(path, json);
            Assert.Throws<InvalidDataException>(() => DefinitionLoader.LoadFile(path));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void Loader_OutcomesMatchOnlyTheirOwnValue()
    {
        var definition = DefinitionLoader.LoadFolder(Folder).Single(d => d.Id == RequestLifecycle.DefinitionId && d.Version == 1);
        var triage = definition.Steps.Single(s => s.ExternalId == "triage");
        var result = ExecutionResult.Outcome("clarify");
        var matched = triage.Outcomes.Where(o => o.Matches(result, new LifecycleData())).Select(o => o.ExternalNextStepId).ToList();
        Assert.Equal(["clarification"], matched);
        Assert.DoesNotContain(triage.Outcomes, o => o.Matches(ExecutionResult.Outcome(LifecycleStep.Ended), new LifecycleData()));
    }

    /// <summary>
    /// Every status change the lifecycle definitions make, on every path through them, must be one
    /// <see cref="RequestStatusRules"/> allows; otherwise a request would reach a node whose status change throws, and
    /// the workflow would stop there with the requester waiting.
    /// </summary>
    [Fact]
    public void RequestLifecycle_EveryStatusChangeOnEveryPath_IsAllowedByTheRequestRules()
    {
        var definitions = DefinitionLoader.LoadFolder(Folder).Where(d => d.Id == RequestLifecycle.DefinitionId).ToList();
        Assert.NotEmpty(definitions);
        foreach (var definition in definitions)
        {
            var changes = StatusChanges(definition);
            // The walk saw the statuses a request passes through from receipt to closing, so it followed the real paths.
            Assert.Superset(new HashSet<RequestStatus> { RequestStatus.InTriage, RequestStatus.Collecting, RequestStatus.CounselApproved, RequestStatus.Responded, RequestStatus.Closed },
                changes.Select(c => c.To).ToHashSet());
            var forbidden = changes.Where(c => !c.From.CanMoveTo(c.To)).ToList();
            Assert.True(forbidden.Count == 0, $"{definition.Id} v{definition.Version} makes status changes RequestStatusRules forbids: {string.Join("; ", forbidden)}");
        }
    }

    [Fact]
    public void StatusChangeCheck_FindsAForbiddenChange_ADefinitionMakes()
    {
        // A reply to a clarification that skipped straight to review: AwaitingClarification cannot become InReview.
        var file = new DefinitionFile("x", 1, null, "triage",
        [
            new NodeFile("triage", "Triage", RequestStatus.InTriage, LifecycleEvent.TriageDecided,
                new Dictionary<string, string> { ["clarify"] = "clarification", ["public-records"] = "review" }, null),
            new NodeFile("clarification", "Stage", RequestStatus.AwaitingClarification, LifecycleEvent.ClarificationReceived,
                new Dictionary<string, string> { ["replied"] = "review" }, null),
            new NodeFile("review", "Stage", RequestStatus.InReview, null, null, null),
        ]);
        var forbidden = StatusChanges(DefinitionLoader.Build(file)).Where(c => !c.From.CanMoveTo(c.To)).Select(c => c.ToString()).ToList();
        Assert.Contains("entering 'review' after 'clarification' (replied): AwaitingClarification to InReview", forbidden);
        Assert.Contains("entering 'review' after 'triage' (public-records): InTriage to InReview", forbidden);
    }

    private sealed record StatusChange(string Where, RequestStatus From, RequestStatus To)
    {
        public override string ToString() => $"{Where}: {From} to {To}";
    }

    /// <summary>
    /// What the step classes themselves set when a decision is taken (Features/Workflow/Steps; counsel's approval in
    /// RedactionReview.ApproveAsync, the only way the counsel step completes with "approved"). A definition adds the
    /// status its nodes enter; between them, these are every change a lifecycle makes.
    /// </summary>
    private static RequestStatus? DecisionStatus(LifecycleEvent? waitFor, string outcome) => (waitFor, outcome) switch
    {
        (LifecycleEvent.TriageDecided, "clarify") => RequestStatus.AwaitingClarification,
        (LifecycleEvent.TriageDecided, "not-a-request") => RequestStatus.NotARequest,
        (LifecycleEvent.CounselDecided, "approved") => RequestStatus.CounselApproved,
        (LifecycleEvent.FeeDecided, "estimate") => RequestStatus.AwaitingPayment,
        (LifecycleEvent.ResponseChosen, _) => RequestStatus.Responded,
        (LifecycleEvent.AppealWindowResolved, "appeal-received") => RequestStatus.UnderAppeal,
        (LifecycleEvent.AppealWindowResolved, "close") => RequestStatus.Closed,
        _ => null,
    };

    /// <summary>
    /// Walks every path of a definition from its start, with the request either just received (the public form) or
    /// already acknowledged (intake acknowledges an e-mailed request before the lifecycle starts), and lists each status
    /// change: on entering a node with a status, on the acknowledgement, and on each decision.
    /// </summary>
    private static List<StatusChange> StatusChanges(WorkflowDefinition definition)
    {
        var changes = new List<StatusChange>();
        var seen = new HashSet<(int Step, RequestStatus Status)>();
        var queue = new Queue<(int Step, RequestStatus Status, string Came)>([(0, RequestStatus.Received, "the start"), (0, RequestStatus.Acknowledged, "the start")]);
        while (queue.TryDequeue(out var at))
        {
            if (!seen.Add((at.Step, at.Status)))
            {
                continue;
            }
            var step = definition.Steps.FindById(at.Step);
            var node = DefinitionLoader.NodeOf(definition, at.Step)!;
            var status = at.Status;
            if (node.Status is { } entered && entered != status)
            {
                changes.Add(new($"entering '{node.Id}' after {at.Came}", status, entered));
                status = entered;
            }
            if (step.BodyType == typeof(Acknowledge) && status == RequestStatus.Received)
            {
                changes.Add(new($"acknowledging at '{node.Id}'", status, RequestStatus.Acknowledged));
                status = RequestStatus.Acknowledged;
            }
            foreach (var outcome in step.Outcomes.Cast<ValueOutcome>())
            {
                var next = status;
                if (DecisionStatus(node.WaitFor, outcome.Label) is { } decided && decided != status)
                {
                    changes.Add(new($"deciding '{outcome.Label}' at '{node.Id}'", status, decided));
                    next = decided;
                }
                queue.Enqueue((outcome.NextStep, next, $"'{node.Id}' ({outcome.Label})"));
            }
        }
        return changes;
    }
}
