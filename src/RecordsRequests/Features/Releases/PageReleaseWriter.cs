using PdfSharp.Drawing;
using PdfSharp.Pdf;
using RecordsRequests.Features.Documents;
using SkiaSharp;

namespace RecordsRequests.Features.Releases;

/// <summary>
/// Writes a record's released PDF page by page from the page pictures: every box painted solid into the pixels and
/// labelled with its exemption code, greyscale where the page has no colour, and an invisible text layer holding the
/// original's words that touch no box, so the release is searchable with the original's exact words (or the OCR's, for
/// a scan). Nothing of the original file reaches the output: no fonts, layers, annotations, form fields, attachments,
/// scripts or metadata. The Bates number goes in a strip added below the page, so it never covers content, and the
/// page count is the original's.
/// </summary>
public static class PageReleaseWriter
{
    /// <summary>
    /// Height of the strip below each page that carries the Bates number: a third of an inch, a whole number of pixels
    /// at 150 and 300 dpi, so a viewer or the gate rendering the page at those resolutions keeps its pixels on the
    /// original's grid.
    /// </summary>
    public const double BatesStrip = 24;

    private static readonly XBrush Invisible = new XSolidBrush(XColor.FromArgb(0, 0, 0, 0));

    public static PageReleasePdf Write(IReadOnlyList<SourcePage> pages, IReadOnlyList<BurnBox> boxes, string batesPrefix, int firstBatesNumber)
    {
        ReleaseFonts.Install();
        using var document = new PdfDocument();
        var painted = new List<PaintedBox>();
        var batesFont = new XFont(ReleaseFonts.Family, 8);
        // Painting and encoding each page's picture is the costly part: pages in parallel, then assembled in order.
        var burned = new (List<BurnBox> Boxes, PagePicture Picture, List<PageBox?> Labels)[pages.Count];
        Parallel.For(0, pages.Count, index =>
        {
            var source = pages[index];
            var pageBoxes = boxes.Where(b => b.Box.Page == source.Number).Select(b => b with { Box = b.Box.ClipTo(source.Width, source.Height) })
                .Where(b => b.Box.Width > 0 && b.Box.Height > 0).ToList();
            var (picture, labels) = Burn(source, pageBoxes);
            burned[index] = (pageBoxes, picture, labels);
        });
        for (var index = 0; index < pages.Count; index++)
        {
            var source = pages[index];
            var bates = ReleasePdfWriter.Bates(batesPrefix, firstBatesNumber + index);
            var (pageBoxes, picture, labels) = burned[index];
            for (var i = 0; i < pageBoxes.Count; i++)
            {
                painted.Add(new PaintedBox(pageBoxes[i].RedactionId, index, bates, pageBoxes[i].Box, labels[i]));
            }

            var page = document.AddPage();
            page.Width = XUnit.FromPoint(source.Width);
            page.Height = XUnit.FromPoint(source.Height + BatesStrip);
            picture.Place(document, page, source.Width, source.Height, BatesStrip);
            using var graphics = XGraphics.FromPdfPage(page, XGraphicsPdfPageOptions.Append);
            // The Bates number first: drawing on a page that already has content, PDFsharp does not set the transparency of
            // its first brush, so the invisible text layer must follow an opaque brush to be written invisible.
            graphics.DrawString(bates, batesFont, XBrushes.Black, new XRect(0, source.Height + 2, source.Width - 18, BatesStrip - 4), XStringFormats.CenterRight);
            // The text layer: the words no box touches, and each box's exemption code, so a search or a screen reader
            // meets "[26(a) FERPA]" where something was withheld, as a sighted reader sees the label.
            WriteTextLayer(graphics, source.Words.SelectMany(w => OutsideBoxes(w, pageBoxes))
                .Concat(pageBoxes.Select(b => new PageWord($"[{b.ExemptionCode}]", b.Box.X, b.Box.Y, b.Box.Width, b.Box.Height, -1, 100))));
        }
        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return new PageReleasePdf(PdfMetadataStripper.Strip(output.ToArray()), pages.Count, ReleasePdfWriter.Bates(batesPrefix, firstBatesNumber),
            ReleasePdfWriter.Bates(batesPrefix, firstBatesNumber + pages.Count - 1), painted);
    }

    /// <summary>
    /// Paints the boxes into the page's pixels, outward to whole pixels so no sliver of a glyph survives, and labels each
    /// with its exemption code in white where the code fits. Returns the PNG and each label's rectangle (in points).
    /// </summary>
    private static (PagePicture Picture, List<PageBox?> Labels) Burn(SourcePage page, IReadOnlyList<BurnBox> boxes)
    {
        using var codec = SKCodec.Create(new MemoryStream(page.Png)) ?? throw new InvalidOperationException($"The picture of page {page.Number} cannot be read.");
        using var decoded = SKBitmap.Decode(codec, new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Opaque))
            ?? throw new InvalidOperationException($"The picture of page {page.Number} cannot be read.");
        var scale = decoded.Width / page.Width;
        using var canvas = new SKCanvas(decoded);
        using var black = new SKPaint { Color = SKColors.Black, IsAntialias = false, Style = SKPaintStyle.Fill };
        using var white = new SKPaint { Color = SKColors.White, IsAntialias = true };
        using var typeface = SKTypeface.FromFile(ReleaseFonts.RegularPath) ?? SKTypeface.Default;
        var labels = new List<PageBox?>();
        foreach (var box in boxes)
        {
            var rect = new SKRect((float)Math.Floor(box.Box.X * scale), (float)Math.Floor(box.Box.Y * scale),
                (float)Math.Ceiling(box.Box.Right * scale), (float)Math.Ceiling(box.Box.Bottom * scale));
            canvas.DrawRect(rect, black);
            labels.Add(Label(canvas, typeface, white, rect, box.ExemptionCode, scale, box.Box.Page));
        }
        canvas.Flush();
        if (page.HasColour)
        {
            return (PagePicture.Colour(decoded), labels);
        }
        using var grey = new SKBitmap(decoded.Width, decoded.Height, SKColorType.Gray8, SKAlphaType.Opaque);
        using (var greyCanvas = new SKCanvas(grey))
        {
            greyCanvas.DrawBitmap(decoded, 0, 0, new SKSamplingOptions(SKFilterMode.Nearest), null);
        }
        return (PagePicture.Grey(grey), labels);
    }

    /// <summary>
    /// The code in white, centred; where "26(a) FERPA" is too wide for a short box, its clause "26(a)" alone. A box too
    /// small for either stays unlabelled: the exemption log still names its ground by page.
    /// </summary>
    private static PageBox? Label(SKCanvas canvas, SKTypeface typeface, SKPaint paint, SKRect rect, string code, double scale, int pageNumber)
    {
        var size = Math.Min(rect.Height * 0.7f, (float)(9 * scale));
        using var font = new SKFont(typeface, size);
        var width = font.MeasureText(code);
        if (width > rect.Width - 4 && code.Split(' ')[0] is var clause && clause.Length < code.Length)
        {
            code = clause;
            width = font.MeasureText(code);
        }
        if (size < 4 * scale || width > rect.Width - 4)
        {
            return null;
        }
        var x = rect.MidX - width / 2;
        var baseline = rect.MidY + size * 0.35f;
        canvas.DrawText(code, x, baseline, SKTextAlign.Left, font, paint);
        return new PageBox(pageNumber, (x - 1) / scale, (baseline - size) / scale, (width + 2) / scale, (size * 1.3) / scale);
    }

    /// <summary>
    /// What of a word the text layer keeps: all of it when no box touches it; otherwise only the punctuation at its ends
    /// whose middle lies outside every box, the word's characters spread evenly over its width as the boxes were
    /// measured ("Okafor," keeps its comma when "Okafor" is withheld). Letters and digits of a word a box touches never stay.
    /// </summary>
    private static IEnumerable<PageWord> OutsideBoxes(PageWord word, IReadOnlyList<BurnBox> boxes)
    {
        if (!boxes.Any(b => word.Intersects(b.Box)))
        {
            yield return word;
            yield break;
        }
        var characterWidth = word.Width / Math.Max(1, word.Text.Length);
        PageWord Piece(int from, int to) => word with { Text = word.Text[from..to], X = word.X + from * characterWidth, Width = (to - from) * characterWidth };
        // A mark beside a withheld word often lies within a box's margin: it stays when its middle is outside every box.
        bool Outside(int index) => !boxes.Any(b => b.Box.Contains(word.X + (index + 0.5) * characterWidth, word.Y + word.Height / 2));
        var lead = 0;
        while (lead < word.Text.Length && char.IsPunctuation(word.Text[lead]) && Outside(lead))
        {
            lead++;
        }
        var trail = word.Text.Length;
        while (trail > lead && char.IsPunctuation(word.Text[trail - 1]) && Outside(trail - 1))
        {
            trail--;
        }
        if (lead > 0)
        {
            yield return Piece(0, lead);
        }
        if (trail < word.Text.Length)
        {
            yield return Piece(trail, word.Text.Length);
        }
    }

    /// <summary>
    /// Each word drawn fully transparent at its box: its height sets the size and a horizontal scale makes it as wide as
    /// the original, so a search or a selection in a viewer lands on the word as seen.
    /// </summary>
    private static void WriteTextLayer(XGraphics graphics, IEnumerable<PageWord> words)
    {
        var fonts = new Dictionary<double, XFont>();
        foreach (var word in words)
        {
            var size = Math.Round(Math.Clamp(word.Height * 0.85, 2, 96), 1);
            if (!fonts.TryGetValue(size, out var font))
            {
                font = fonts[size] = new XFont(ReleaseFonts.Family, size);
            }
            var measured = graphics.MeasureString(word.Text, font).Width;
            if (measured <= 0)
            {
                continue;
            }
            var state = graphics.Save();
            graphics.TranslateTransform(word.X, word.Y + word.Height * 0.8);
            graphics.ScaleTransform(word.Width / measured, 1);
            graphics.DrawString(word.Text, font, Invisible, 0, 0, XStringFormats.BaseLineLeft);
            graphics.Restore(state);
        }
    }
}
