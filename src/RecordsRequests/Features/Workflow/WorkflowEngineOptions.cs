using System.ComponentModel.DataAnnotations;

namespace RecordsRequests.Features.Workflow;

public sealed class WorkflowEngineOptions
{
    public const string SectionName = "Workflow";

    /// <summary>How often the engine looks for due instances and unprocessed events in the database (engine default 10 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Steps this node runs at once.</summary>
    [Range(1, 64)]
    public int MaxConcurrentWorkflows { get; set; } = 4;

    /// <summary>
    /// How long a consumer whose slots are all busy waits before looking again (the engine's IdleTime). Nothing wakes it
    /// when a slot frees, so this caps throughput: at the engine's default of 100 ms the two event slots a 2-core node
    /// gets handle at most 20 events a second. Also the gap between the engine's ten tries for a busy event lock.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.005", "00:00:01")]
    public TimeSpan BusyWait { get; set; } = TimeSpan.FromMilliseconds(25);

    /// <summary>How often the sweep starts lifecycles missed by a crash and ends those of withdrawn requests.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(30);
}
