namespace RecordsRequests.Features.Releases;

/// <summary>
/// The outcome of <see cref="NativeCopy.Make"/>: either a cleaned copy in the record's own format, or the reason, in
/// words for the records page and the audit log, why the release holds only the PDF.
/// </summary>
/// <param name="Copy">The cleaned file; null when no native copy can be made.</param>
/// <param name="Extension">The copy's file extension with its dot (".xlsx"); the release names it by Bates number.</param>
/// <param name="Refusal">Why there is no native copy; null when <paramref name="Copy"/> is set.</param>
/// <param name="Removed">What was taken out, in words ("2 hidden sheets", "comments"), for the release record.</param>
public sealed record NativeCopyResult(byte[]? Copy, string? Extension, string? Refusal, IReadOnlyList<string> Removed)
{
    public bool Made => Copy is not null;

    internal static NativeCopyResult Refused(string reason) => new(null, null, reason, []);
}
