using System.Text;

namespace RecordsRequests.Features.Documents;

/// <summary>
/// A record's text as detection, search and redaction spans read it: its pages' words in reading order, separated by a
/// space within a line, a line feed between lines and a form feed between pages. Every character of a word keeps its
/// page and box, so a span of text maps to boxes on the page and a box drawn on the page maps back to the words it covers.
/// </summary>
public sealed class PagedText
{
    public const char PageBreak = '\f';

    public string Text { get; }
    public IReadOnlyList<PlacedWord> Words { get; }

    private PagedText(string text, IReadOnlyList<PlacedWord> words)
    {
        Text = text;
        Words = words;
    }

    public static PagedText Build(IEnumerable<DocumentPage> pages)
    {
        var text = new StringBuilder();
        var words = new List<PlacedWord>();
        var firstPage = true;
        foreach (var page in pages.OrderBy(p => p.Number))
        {
            if (!firstPage)
            {
                text.Append(PageBreak);
            }
            firstPage = false;
            int? line = null;
            foreach (var word in page.Words)
            {
                if (line is { } current)
                {
                    text.Append(current == word.Line ? ' ' : '\n');
                }
                line = word.Line;
                var start = text.Length;
                text.Append(word.Text);
                words.Add(new PlacedWord(page.Number, start, text.Length, word));
            }
        }
        return new PagedText(text.ToString(), words);
    }

    /// <summary>
    /// The boxes that hide characters [start, end): one per line the span crosses. A span that starts or ends inside a
    /// word covers that word's box in proportion to the characters taken (the digits of "ID:2024-55817", say), rounded
    /// outwards so no part of a withheld character is left.
    /// </summary>
    public IReadOnlyList<PageBox> BoxesFor(int start, int end)
    {
        var boxes = new List<PageBox>();
        PageBox? current = null;
        (int Page, int Line) currentLine = default;
        foreach (var placed in Words)
        {
            if (placed.End <= start || placed.Start >= end)
            {
                continue;
            }
            var word = placed.Word;
            var length = Math.Max(1, placed.End - placed.Start);
            var from = Math.Max(start, placed.Start) - placed.Start;
            var to = Math.Min(end, placed.End) - placed.Start;
            var x = word.X + word.Width * from / length;
            var width = word.Width * (to - from) / length;
            var box = new PageBox(placed.Page, x, word.Y, width, word.Height);
            if (current is not null && currentLine == (placed.Page, word.Line))
            {
                current = current.Union(box);
            }
            else
            {
                if (current is not null)
                {
                    boxes.Add(current);
                }
                current = box;
                currentLine = (placed.Page, word.Line);
            }
        }
        if (current is not null)
        {
            boxes.Add(current);
        }
        return boxes;
    }

    /// <summary>The words a drawn box touches, in reading order.</summary>
    public IReadOnlyList<PlacedWord> WordsUnder(PageBox box) =>
        Words.Where(w => w.Page == box.Page && w.Word.Intersects(box)).ToList();
}
