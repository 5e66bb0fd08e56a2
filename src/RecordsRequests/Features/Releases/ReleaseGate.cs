namespace RecordsRequests.Features.Releases;

/// <summary>A produced file as it will leave the district.</summary>
public sealed record ProducedFile(string Name, byte[] Content);

/// <summary>Raised when a produced file still contains redacted text: the release must not go out.</summary>
public sealed class LeakDetectedException(IReadOnlyList<LeakHit> hits)
    : Exception($"Release blocked: redacted text found in {hits.Count} place(s): " +
        string.Join("; ", hits.Take(5).Select(h => $"{h.File} {h.Where} ({h.Label}, {h.Variant})")))
{
    public IReadOnlyList<LeakHit> Hits { get; } = hits;
}

/// <summary>Runs the leak scan over every file of a release; the only way files become releasable.</summary>
public static class ReleaseGate
{
    public static IReadOnlyList<LeakHit> Check(IEnumerable<ProducedFile> files, IReadOnlyList<RedactedSecret> secrets) =>
        files.SelectMany(file => LeakScanner.Scan(file.Name, file.Content, secrets)).ToList();
}
