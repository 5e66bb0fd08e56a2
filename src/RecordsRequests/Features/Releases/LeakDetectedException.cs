namespace RecordsRequests.Features.Releases;

/// <summary>Raised when a produced file still contains redacted text: the release must not go out.</summary>
public sealed class LeakDetectedException(IReadOnlyList<LeakHit> hits)
    : Exception($"Release blocked: redacted text found in {hits.Count} place(s): " +
        string.Join("; ", hits.Take(5).Select(h => $"{h.File} {h.Where} ({h.Label}, {h.Variant})")))
{
    public IReadOnlyList<LeakHit> Hits { get; } = hits;
}
