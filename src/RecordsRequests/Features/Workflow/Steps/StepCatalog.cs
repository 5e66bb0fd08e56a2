namespace RecordsRequests.Features.Workflow.Steps;

/// <summary>
/// The allow-list of step classes a definition file may name. A JSON file can only choose among these; it never names
/// a .NET type. Renaming an entry breaks definitions in flight, so add new names instead.
/// </summary>
public static class StepCatalog
{
    private static readonly Dictionary<string, Type> Steps = new(StringComparer.Ordinal)
    {
        ["Plain"] = typeof(PlainStep),
        // The name of "Plain" in definition files written before it was renamed; kept so they still load.
        ["Stage"] = typeof(PlainStep),
        ["Acknowledge"] = typeof(Acknowledge),
        ["Triage"] = typeof(Triage),
        ["EstimateFee"] = typeof(EstimateFee),
        // The name of "EstimateFee" in definition files written before it was renamed (the fee estimate the step stores,
        // Deadlines.FeeEstimate, has that name); kept so they still load.
        ["FeeEstimate"] = typeof(EstimateFee),
        ["Respond"] = typeof(Respond),
        ["AppealWindow"] = typeof(AppealWindow),
    };

    public static IReadOnlyCollection<Type> All { get; } = Steps.Values.Distinct().ToList();

    public static Type? Resolve(string name) => Steps.GetValueOrDefault(name);

    /// <summary>A waiting node offers choices; a node that does not wait can only go on with "done".</summary>
    public static void Validate(Type bodyType, LifecycleNode node)
    {
        if (node.WaitFor is null && node.Outcomes.Any(o => o != LifecycleStep.Done))
        {
            throw new InvalidDataException($"node '{node.Id}' does not wait for an event, so its only outcome is '{LifecycleStep.Done}'.");
        }
        if (node.WaitFor is not null && node.Outcomes.Contains(LifecycleStep.Done))
        {
            throw new InvalidDataException($"node '{node.Id}' waits for {node.WaitFor}; name its choices instead of '{LifecycleStep.Done}'.");
        }
        if (bodyType != typeof(PlainStep) && node.WaitFor is null && bodyType != typeof(Acknowledge))
        {
            throw new InvalidDataException($"node '{node.Id}': step {bodyType.Name} decides on a human choice, so it must wait for an event.");
        }
    }
}
