namespace RecordsRequests.Features.Archive;

/// <param name="Busy">Wall time the stage's workers spent on work (not waiting for input or for room downstream), summed.</param>
/// <param name="Cpu">Processor time the stage's threads used while working, summed; null for a stage that awaits and so
/// moves between threads, whose processor time cannot be told from the others'.</param>
public sealed record ImportStage(string Name, int Workers, TimeSpan Busy, TimeSpan? Cpu);
