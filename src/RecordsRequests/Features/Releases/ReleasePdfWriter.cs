using System.Globalization;
using System.Text;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace RecordsRequests.Features.Releases;

/// <summary>A span to leave out of a produced PDF, and the exemption code its box shows.</summary>
public sealed record RedactedSpan(int Start, int End, string ExemptionCode);

/// <summary>The Bates number of the page on which a redaction's box was drawn.</summary>
public sealed record PlacedRedaction(RedactedSpan Span, int PageIndex, string Bates);

public sealed record ProducedPdf(byte[] Content, int PageCount, string FirstBates, string LastBates, IReadOnlyList<PlacedRedaction> Redactions);

/// <summary>
/// Typesets a record's extracted text as a NEW PDF. Redacted spans are never handed to PDFsharp: the text is cut
/// around them and each one becomes a black box labelled with its exemption code, whose width depends on the label
/// only (not on the length of what was removed). Nothing of the original file (its layers, fonts, metadata, hidden
/// text) reaches the output, which is why a painted-over original can never slip through (stack-probes.md: text under
/// a black rectangle stays extractable). Every page carries a Bates number PREFIX-NNNNNN in its footer.
/// </summary>
public static class ReleasePdfWriter
{
    private const double PageWidth = 612;  // US Letter, in points
    private const double PageHeight = 792;
    private const double Margin = 54;
    private const double FooterGap = 30;
    private const double FontSize = 10;
    private const double LineHeight = 13;

    public static string Bates(string prefix, int number) => string.Create(CultureInfo.InvariantCulture, $"{prefix}-{number:D6}");

    /// <param name="batesPrefix">For example PRR-2026-0042.</param>
    /// <param name="firstBatesNumber">The number of this document's first page; numbering continues across a release.</param>
    public static ProducedPdf Write(string text, IReadOnlyList<RedactedSpan> redactions, string batesPrefix, int firstBatesNumber)
    {
        ReleaseFonts.Install();
        var ordered = redactions.OrderBy(r => r.Start).ToList();
        for (var i = 0; i < ordered.Count; i++)
        {
            var span = ordered[i];
            if (span.Start < 0 || span.End > text.Length || span.End <= span.Start || (i > 0 && span.Start < ordered[i - 1].End))
            {
                throw new DomainException($"Redaction {span.Start}-{span.End} does not fit the text or overlaps another.");
            }
        }

        using var document = new PdfDocument();
        var layout = new Layout(document, batesPrefix, firstBatesNumber);
        var placed = new List<PlacedRedaction>();
        var position = 0;
        foreach (var span in ordered)
        {
            layout.Text(text.AsSpan(position, span.Start - position));
            layout.Box(span.ExemptionCode);
            placed.Add(new PlacedRedaction(span, layout.PageIndex, layout.CurrentBates));
            position = span.End;
        }
        layout.Text(text.AsSpan(position));
        layout.Finish();
        var pageCount = layout.PageCount;
        var lastBates = layout.CurrentBates;

        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        // A released file carries no document information and no XMP packet: a title, author, creating program or
        // timestamp can identify a student or staff member, or tell more than the redacted pages do.
        return new ProducedPdf(PdfMetadataStripper.Strip(output.ToArray()), pageCount, Bates(batesPrefix, firstBatesNumber), lastBates, placed);
    }

    /// <summary>Writes a plain document (exemption log, response letter) with the same typesetting and no redactions.</summary>
    public static byte[] WritePlain(string text, string batesPrefix, int firstBatesNumber) => Write(text, [], batesPrefix, firstBatesNumber).Content;

    private sealed class Layout
    {
        private readonly PdfDocument _document;
        private readonly string _batesPrefix;
        private readonly int _firstBates;
        private readonly XFont _font;
        private readonly XFont _labelFont;
        private readonly XFont _footerFont;
        private readonly StringBuilder _run = new();
        private XGraphics? _graphics;
        private double _x;
        private double _y;
        private double _runX;
        private double _runWidth;
        private bool _pageHasContent;

        public Layout(PdfDocument document, string batesPrefix, int firstBates)
        {
            _document = document;
            _batesPrefix = batesPrefix;
            _firstBates = firstBates;
            var options = new XPdfFontOptions(PdfFontEncoding.Unicode);
            _font = new XFont(ReleaseFonts.Family, FontSize, XFontStyleEx.Regular, options);
            _labelFont = new XFont(ReleaseFonts.Family, FontSize - 2, XFontStyleEx.Bold, options);
            _footerFont = new XFont(ReleaseFonts.Family, 8, XFontStyleEx.Regular, options);
            NewPage();
        }

        public int PageIndex => PageCount - 1;
        public int PageCount => _document.PageCount;
        public string CurrentBates => Bates(_batesPrefix, _firstBates + PageIndex);

        private XGraphics Graphics => _graphics!;

        public void Text(ReadOnlySpan<char> text)
        {
            var i = 0;
            while (i < text.Length)
            {
                var c = text[i];
                if (c == DocumentText.PageBreak)
                {
                    Flush();
                    if (_pageHasContent)
                    {
                        NewPage();
                    }
                    i++;
                }
                else if (c == '\n')
                {
                    NewLine();
                    i++;
                }
                else if (char.IsWhiteSpace(c))
                {
                    if (_x + _runWidth > Margin)
                    {
                        AppendToRun(" ");
                    }
                    i++;
                }
                else
                {
                    var end = i;
                    while (end < text.Length && !char.IsWhiteSpace(text[end]))
                    {
                        end++;
                    }
                    Word(new string(Printable(text[i..end])));
                    i = end;
                }
            }
        }

        public void Box(string code)
        {
            var label = $"[{code}]";
            var width = Graphics.MeasureString(label, _labelFont).Width + 6;
            if (_x + _runWidth + width > PageWidth - Margin && _x + _runWidth > Margin)
            {
                NewLine();
            }
            Flush();
            Graphics.DrawRectangle(XBrushes.Black, _x, _y + 1, width, LineHeight - 1);
            Graphics.DrawString(label, _labelFont, XBrushes.White, new XRect(_x, _y + 1, width, LineHeight - 1), XStringFormats.Center);
            _x += width;
            _pageHasContent = true;
        }

        public void Finish()
        {
            Flush();
            Footer();
            _graphics?.Dispose();
        }

        private void Word(string word)
        {
            var width = Graphics.MeasureString(word, _font).Width;
            var lineWidth = PageWidth - 2 * Margin;
            if (width > lineWidth)
            {
                // A word longer than a line (a URL, a hash): cut it into pieces that fit.
                var cut = Math.Max(1, (int)(word.Length * lineWidth / width) - 1);
                Word(word[..cut]);
                NewLine();
                Word(word[cut..]);
                return;
            }
            if (_x + _runWidth + width > PageWidth - Margin)
            {
                NewLine();
            }
            AppendToRun(word);
        }

        private void AppendToRun(string piece)
        {
            if (_run.Length == 0)
            {
                _runX = _x;
                _runWidth = 0;
            }
            _run.Append(piece);
            _runWidth = Graphics.MeasureString(_run.ToString(), _font).Width;
        }

        private void Flush()
        {
            if (_run.Length == 0)
            {
                return;
            }
            var run = _run.ToString().TrimEnd();
            if (run.Length > 0)
            {
                Graphics.DrawString(run, _font, XBrushes.Black, new XPoint(_runX, _y + LineHeight - 3));
                _pageHasContent = true;
            }
            _x = _runX + _runWidth;
            _run.Clear();
            _runWidth = 0;
        }

        private void NewLine()
        {
            Flush();
            _x = Margin;
            _y += LineHeight;
            if (_y + LineHeight > PageHeight - Margin - FooterGap)
            {
                NewPage();
            }
        }

        private void NewPage()
        {
            if (_graphics is not null)
            {
                Flush();
                Footer();
                _graphics.Dispose();
            }
            var page = _document.AddPage();
            page.Width = XUnit.FromPoint(PageWidth);
            page.Height = XUnit.FromPoint(PageHeight);
            _graphics = XGraphics.FromPdfPage(page);
            _x = Margin;
            _y = Margin;
            _pageHasContent = false;
        }

        private void Footer()
        {
            var bates = CurrentBates;
            Graphics.DrawString(bates, _footerFont, XBrushes.Black,
                new XRect(Margin, PageHeight - Margin, PageWidth - 2 * Margin, 12), XStringFormats.CenterRight);
        }

        /// <summary>Control characters other than line and page breaks have no glyph; they are dropped.</summary>
        private static char[] Printable(ReadOnlySpan<char> word)
        {
            var result = new char[word.Length];
            var n = 0;
            foreach (var c in word)
            {
                if (!char.IsControl(c))
                {
                    result[n++] = c;
                }
            }
            return result[..n];
        }
    }
}
