using System.Text.RegularExpressions;
using RecordsRequests.Features.Documents;
using RecordsRequests.Features.Records;

namespace RecordsRequests.Features.Redactions;

/// <summary>
/// Redactions made before records had pages are character spans into the record's old extracted text
/// (<see cref="DocumentText"/>). When the record gets pages, each is placed on them: the same words, at the same
/// occurrence (the third "Jordan" stays the third). One that cannot be placed exactly is flagged for re-review, never
/// dropped, and holds the release back until an officer redraws it and rejects the old one.
/// </summary>
public static class LegacyRedactions
{
    public static void Place(Record record, IReadOnlyList<Redaction> redactions, PagedText pages, byte[] original)
    {
        var unplaced = redactions.Where(r => r.Kind == RedactionKind.Text && r.Boxes.Count == 0).ToList();
        if (unplaced.Count == 0)
        {
            return;
        }
        string? oldText;
        try
        {
            oldText = DocumentText.Extract(original, record.FileName);
        }
        catch (Exception e) when (e is DomainException or FormatException or InvalidOperationException)
        {
            oldText = null;
        }
        foreach (var redaction in unplaced)
        {
            if (oldText is null || redaction.End > oldText.Length || oldText[redaction.Start..redaction.End] != redaction.Text)
            {
                redaction.FlagPlacement("Made on the record's old text, which no longer matches it: redraw it on the page and reject this one.");
                continue;
            }
            var before = Occurrences(oldText, redaction.Text).TakeWhile(o => o.Start < redaction.Start).Count();
            var oldCount = Occurrences(oldText, redaction.Text).Count;
            var found = Occurrences(pages.Text, redaction.Text);
            if (found.Count != oldCount || before >= found.Count)
            {
                redaction.FlagPlacement(found.Count == 0
                    ? "Its words were not found on the record's pages: check the page and redraw it, then reject this one."
                    : "Its words occur a different number of times on the pages than in the old text, so which one it meant is unclear: redraw it and reject this one.");
                continue;
            }
            var (start, end) = found[before];
            redaction.Place(start, end, pages.BoxesFor(start, end).Select(b => b.Inflate(Redaction.BoxMargin)).ToList());
        }
    }

    /// <summary>Where the words occur, whatever white space separates them (lines wrap differently on a page).</summary>
    private static List<(int Start, int End)> Occurrences(string text, string needle)
    {
        var words = needle.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return [];
        }
        var pattern = string.Join(@"\s+", words.Select(Regex.Escape));
        return Regex.Matches(text, pattern, RegexOptions.CultureInvariant).Select(m => (m.Index, m.Index + m.Length)).ToList();
    }
}
