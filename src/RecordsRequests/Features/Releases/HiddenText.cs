namespace RecordsRequests.Features.Releases;

/// <summary>Text that a filled rectangle paints over but that is still in the file (a failed redaction).</summary>
public sealed record HiddenText(int Page, double Left, double Bottom, double Right, double Top, int Characters, string Text);
