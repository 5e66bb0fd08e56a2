using Lucene.Net.Util;

namespace RecordsRequests.Features.Archive;

/// <summary>
/// The long texts of an item (its body and its attachments' text) are indexed once, in the catch-all field
/// (<see cref="ArchiveFields.All"/>), not again in fields of their own: that second inversion of nearly every word cost
/// a fifth of an import's CPU and a third of the index. Each such text is bracketed in the catch-all by a marker term
/// of its field, at the position of its first word and again at that of its last, so a query limited to the field
/// (<c>body:contract</c>) is the same query on the catch-all, kept where it lies between two markers of that field
/// (<see cref="WithinTextsQuery"/>). Texts in the catch-all are a hundred positions apart, so no match spans two. Short texts (subject, addresses, attachment names) keep fields of their own.
/// </summary>
public static class LocatedTexts
{
    /// <summary>The fields whose texts are indexed only in the catch-all, between markers.</summary>
    public static readonly IReadOnlySet<string> Fields = new HashSet<string>(StringComparer.Ordinal) { ArchiveFields.Body, ArchiveFields.AttachmentText };

    /// <summary>
    /// Markers start with three control characters, which the tokenizer never lets into a word (so nobody can type one)
    /// and which keep every typed word more than two edits away (so a fuzzy search never matches one).
    /// </summary>
    private const string MarkerPrefix = "\u0001\u0001\u0001";

    private static readonly Dictionary<string, string> Markers = Fields.ToDictionary(field => field, field => MarkerPrefix + field, StringComparer.Ordinal);

    /// <summary>The term that brackets each text of <paramref name="field"/> in the catch-all; null for a field with its own postings.</summary>
    public static string? MarkerOf(string field) => Markers.GetValueOrDefault(field);

    /// <summary>Whether a term of the catch-all is a marker rather than a word.</summary>
    public static bool IsMarker(BytesRef term) => term.Length >= MarkerPrefix.Length && term.Bytes[term.Offset] == MarkerPrefix[0];
}
