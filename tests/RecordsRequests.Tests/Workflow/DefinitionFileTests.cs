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
}
