namespace RecordsRequests.Features.Releases;

public sealed record OverlayReport(string File, int Pages, IReadOnlyList<HiddenText> Findings)
{
    public bool HasHiddenText => Findings.Count > 0;
}
