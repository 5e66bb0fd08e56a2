namespace RecordsRequests.Features.Releases;

/// <summary>Runs the leak scan over every file of a release; the only way files become releasable.</summary>
public static class ReleaseGate
{
    public static IReadOnlyList<LeakHit> Check(IEnumerable<ProducedFile> files, IReadOnlyList<RedactedSecret> secrets) =>
        files.SelectMany(file => LeakScanner.Scan(file.Name, file.Content, secrets)).ToList();
}
