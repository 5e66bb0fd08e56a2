using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace RecordsRequests.Features.Workflow;

/// <summary>
/// Loads workflows/*.json into the engine's registry once per process. Every version stays registered, so an instance
/// started on v1 keeps running v1 after v2 ships; new instances start on the highest version.
/// </summary>
public sealed class WorkflowDefinitions(IWorkflowRegistry registry)
{
    private readonly Lock _gate = new();
    private bool _loaded;

    /// <summary>Where the definition files are read from; tests may point it elsewhere before first use.</summary>
    public string Folder { get; set; } = DefinitionLoader.DefaultFolder;

    public void EnsureRegistered()
    {
        lock (_gate)
        {
            if (_loaded)
            {
                return;
            }
            foreach (var definition in DefinitionLoader.LoadFolder(Folder))
            {
                if (!registry.IsRegistered(definition.Id, definition.Version))
                {
                    registry.RegisterWorkflow(definition);
                }
            }
            _loaded = true;
        }
    }

    public WorkflowDefinition Get(string id, int? version = null)
    {
        EnsureRegistered();
        return registry.GetDefinition(id, version) ?? throw new InvalidOperationException($"Workflow {id} v{version} is not defined.");
    }
}
