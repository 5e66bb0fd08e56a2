namespace RecordsRequests.Features.Archive;

/// <param name="Bytes">The size of the messages and documents this run took in (not of those skipped as already imported).</param>
/// <param name="Stages">Each stage of the pipeline, with the time its workers spent working and the processor time they used.</param>
public sealed record ImportReport(int NewItems, int Duplicates, int AlreadyImported, IReadOnlyList<ImportFailure> Failures, TimeSpan Elapsed, long Bytes,
    IReadOnlyList<ImportStage> Stages)
{
    public int Processed => NewItems + Duplicates + AlreadyImported + Failures.Count;
}
