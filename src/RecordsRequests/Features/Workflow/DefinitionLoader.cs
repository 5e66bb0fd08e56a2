using System.Linq.Expressions;
using System.Text.Json;
using System.Text.Json.Serialization;
using RecordsRequests.Features.Workflow.Steps;
using WorkflowCore.Models;

namespace RecordsRequests.Features.Workflow;

/// <summary>
/// Turns definition files into engine definitions. A step's class comes only from <see cref="StepCatalog"/>; a file
/// naming anything else, an unknown next node, or a duplicate id/version is rejected at start-up.
/// </summary>
public static class DefinitionLoader
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(allowIntegerValues: false) },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    public static string DefaultFolder => Path.Combine(AppContext.BaseDirectory, "workflows");

    public static IReadOnlyList<WorkflowDefinition> LoadFolder(string folder)
    {
        var files = Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal).ToList();
        var definitions = files.Select(LoadFile).ToList();
        var duplicate = definitions.GroupBy(d => (d.Id, d.Version)).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidDataException($"Workflow {duplicate.Key.Id} v{duplicate.Key.Version} is defined more than once.");
        }
        return definitions;
    }

    public static WorkflowDefinition LoadFile(string path)
    {
        var file = JsonSerializer.Deserialize<DefinitionFile>(File.ReadAllText(path), Json)
            ?? throw new InvalidDataException($"{path} is empty.");
        var expectedName = $"{file.Id}.v{file.Version}.json";
        if (!string.Equals(Path.GetFileName(path), expectedName, StringComparison.Ordinal))
        {
            // One version per file, named after it: a reviewer sees a new version as a new file, never an edit.
            throw new InvalidDataException($"{path} defines {file.Id} v{file.Version}, so it must be named {expectedName}.");
        }
        try
        {
            return Build(file);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    public static WorkflowDefinition Build(DefinitionFile file)
    {
        if (file.Steps.Count == 0)
        {
            throw new InvalidDataException("a workflow needs at least one step.");
        }
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        // The engine starts at step 0, so the start node goes first.
        var ordered = file.Steps.OrderBy(n => n.Id == file.Start ? 0 : 1).ToList();
        if (ordered[0].Id != file.Start)
        {
            throw new InvalidDataException($"start node '{file.Start}' does not exist.");
        }
        foreach (var node in ordered)
        {
            if (!index.TryAdd(node.Id, index.Count))
            {
                throw new InvalidDataException($"node id '{node.Id}' is used twice.");
            }
        }

        var definition = new WorkflowDefinition
        {
            Id = file.Id,
            Version = file.Version,
            Description = file.Description,
            DataType = typeof(LifecycleData),
            // A failing step (database down, mail misconfigured) is retried; the admin page shows instances that keep failing.
            DefaultErrorBehavior = WorkflowErrorHandling.Retry,
            DefaultErrorRetryInterval = TimeSpan.FromSeconds(30),
        };
        foreach (var node in ordered)
        {
            var bodyType = StepCatalog.Resolve(node.Step)
                ?? throw new InvalidDataException($"node '{node.Id}' names step '{node.Step}', which is not in the step catalog.");
            var next = node.Next ?? new Dictionary<string, string>();
            var lifecycleNode = new LifecycleNode(node.Id, node.Status, node.WaitFor, [.. next.Keys],
                node.With ?? new Dictionary<string, string>());
            StepCatalog.Validate(bodyType, lifecycleNode);
            var step = (WorkflowStep)Activator.CreateInstance(typeof(LifecycleWorkflowStep<>).MakeGenericType(bodyType), lifecycleNode)!;
            step.Id = index[node.Id];
            step.Name = node.Id;
            step.ExternalId = node.Id;
            foreach (var (outcome, target) in next)
            {
                if (!index.TryGetValue(target, out var targetId))
                {
                    throw new InvalidDataException($"node '{node.Id}' leads to '{target}' on '{outcome}', and no such node exists.");
                }
                step.Outcomes.Add(new ValueOutcome { Value = OutcomeIs(outcome), NextStep = targetId, Label = outcome, ExternalNextStepId = target });
            }
            definition.Steps.Add(step);
        }
        return definition;
    }

    /// <summary>An outcome that matches exactly one value. (A ValueOutcome without a value matches every result.)</summary>
    private static Expression<Func<object, object>> OutcomeIs(string value) => _ => value;

    public static LifecycleNode? NodeOf(WorkflowDefinition definition, int stepId) =>
        definition.Steps.FindById(stepId) is ILifecycleStepDefinition step ? step.Node : null;
}
