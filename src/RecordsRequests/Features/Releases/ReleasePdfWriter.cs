using System.Globalization;
using System.Text;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace RecordsRequests.Features.Releases;

/// <summary>
/// Typesets the district's own documents of a release (the response letter, the exemption log) as a NEW PDF in
/// DejaVu Sans, with a Bates number PREFIX-NNNNNN in every page's footer and no document metadata. Records themselves are
/// released from their page pictures (<see cref="PageReleaseWriter"/>).
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

    /// <param name="batesPrefix">For example PRR-2026-0042-LTR.</param>
    /// <param name="firstBatesNumber">The number of this document's first page.</param>
    public static ProducedPdf Write(string text, string batesPrefix, int firstBatesNumber)
    {
        ReleaseFonts.Install();
        using var document = new PdfDocument();
        var layout = new Layout(document, batesPrefix, firstBatesNumber);
        layout.Text(text);
        layout.Finish();
        var pageCount = layout.PageCount;
        var lastBates = layout.CurrentBates;
        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        // A released file carries no document information and no XMP packet: a title, author, creating program or
        // timestamp can identify a student or staff member, or tell more than the pages do.
        return new ProducedPdf(PdfMetadataStripper.Strip(output.ToArray()), pageCount, Bates(batesPrefix, firstBatesNumber), lastBates);
    }

    private sealed class Layout
    {
        private readonly PdfDocument _document;
        private readonly string _batesPrefix;
        private readonly int _firstBates;
        private readonly XFont _font;
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
                if (c == '\f')
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
