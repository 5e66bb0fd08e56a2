using System.Globalization;
using Microsoft.Extensions.Options;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;

namespace RecordsRequests.Features.Documents;

/// <summary>
/// Reads a PDF rendition page by page, pages in parallel: pdftoppm renders each page's picture; the words come from the
/// PDF's text layer (PdfPig), or, on a page without one (a scan, a photo), from tesseract at 300 dpi with one thread per
/// page. Boxes are in points from the page's top-left corner whatever their source.
/// </summary>
public sealed class PageReader(ExternalTools tools, IOptions<DocumentOptions> options)
{
    private const int OcrDpi = 300;

    public async Task<IReadOnlyList<ReadPage>> ReadAsync(byte[] pdf, string scratch, IProgress<PageProgress>? progress, CancellationToken cancellationToken)
    {
        var path = Path.Combine(scratch, "rendition.pdf");
        await File.WriteAllBytesAsync(path, pdf, cancellationToken);
        List<(int Number, double Width, double Height, int Rotation, List<PageWord> Words)> layers;
        using (var document = PdfDocument.Open(pdf))
        {
            layers = document.GetPages().Select(page => (page.Number, page.Width, page.Height, page.Rotation.Value, TextLayer(page))).ToList();
        }
        var pages = new ReadPage[layers.Count];
        var done = 0;
        progress?.Report(new PageProgress(0, layers.Count));
        await Parallel.ForEachAsync(layers, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Value.ParallelPages), CancellationToken = cancellationToken },
            async (layer, token) =>
            {
                var png = await PageImages.RenderAsync(tools, options.Value, path, layer.Number, PageImages.ReviewDpi, grey: false, scratch, token);
                var (width, height) = PageImages.SizeInPoints(png, PageImages.ReviewDpi);
                var hasColour = PageImages.HasColour(png);
                // A rotated page's text layer is in the unrotated space; OCR of the picture as shown is always right.
                var useLayer = layer.Rotation == 0 && layer.Words.Count >= options.Value.MinimumTextLayerWords;
                var words = useLayer ? layer.Words : await OcrAsync(path, layer.Number, scratch, token);
                pages[layer.Number - 1] = new ReadPage(layer.Number, width, height, png, hasColour, useLayer ? PageTextSource.TextLayer : PageTextSource.Ocr, words);
                progress?.Report(new PageProgress(Interlocked.Increment(ref done), layers.Count));
            });
        return pages;
    }

    /// <summary>Words of the PDF's own text, in content order, with a new line where the baseline moves.</summary>
    private static List<PageWord> TextLayer(Page page)
    {
        var words = new List<PageWord>();
        var line = 0;
        double? baseline = null;
        double? lastRight = null;
        // pdftoppm renders the crop box: coordinates are taken from its top-left corner.
        var crop = page.CropBox.Bounds;
        foreach (var word in page.GetWords())
        {
            if (string.IsNullOrWhiteSpace(word.Text))
            {
                continue;
            }
            var box = word.BoundingBox;
            var height = Math.Max(1, box.Height);
            if (baseline is { } previous && (Math.Abs(box.Bottom - previous) > height * 0.5 || box.Left < lastRight - height))
            {
                line++;
            }
            baseline = box.Bottom;
            lastRight = box.Right;
            words.Add(new PageWord(word.Text, box.Left - crop.Left, crop.Top - box.Top, Math.Max(0.5, box.Width), height, line, 100));
        }
        return words;
    }

    /// <summary>
    /// Tesseract's words (TSV, level 5) of one page rendered in grey at 300 dpi, with OpenMP held to one thread. The page
    /// goes to tesseract as the raw grey map pdftoppm writes: encoding and decoding a 300 dpi PNG cost as much as half
    /// the recognition itself.
    /// </summary>
    private async Task<List<PageWord>> OcrAsync(string pdfPath, int number, string scratch, CancellationToken cancellationToken)
    {
        using var picture = await PageImages.RenderGreyAsync(tools, options.Value, pdfPath, number, OcrDpi, scratch, cancellationToken);
        return await RecogniseAsync(picture.Path, OcrDpi, picture.Folder, cancellationToken);
    }

    /// <summary>
    /// Tesseract on a picture; boxes come back in points for a picture of the given resolution. The page is read in the
    /// first of <see cref="DocumentOptions.OcrLanguages"/>; a page that reads as one of the others (a parent's letter in
    /// Spanish) is read again with those first. Reading every page with all three at once cost a third more time and put
    /// Spanish accents on English names ("Aidén"), which hid them from the roster.
    /// </summary>
    public async Task<List<PageWord>> RecogniseAsync(string image, int dpi, string folder, CancellationToken cancellationToken)
    {
        var languages = options.Value.OcrLanguages.Split('+', StringSplitOptions.RemoveEmptyEntries);
        var words = await TesseractAsync(image, dpi, languages[0], folder, cancellationToken);
        if (languages.Length > 1 && OcrLanguage.ReadsAsSpanishOrPortuguese(words))
        {
            words = await TesseractAsync(image, dpi, string.Join('+', languages.Skip(1).Append(languages[0])), folder, cancellationToken);
        }
        return words;
    }

    private async Task<List<PageWord>> TesseractAsync(string image, int dpi, string languages, string folder, CancellationToken cancellationToken)
    {
        var result = await tools.RunAsync("tesseract", [image, Path.Combine(folder, "words"), "-l", languages, "--dpi", dpi.ToString(CultureInfo.InvariantCulture), "tsv"],
            folder, options.Value.PageTimeLimit, options.Value.PageToolMemoryBytes, cancellationToken,
            new Dictionary<string, string> { ["OMP_THREAD_LIMIT"] = "1" });
        var tsv = Path.Combine(folder, "words.tsv");
        if (result.ExitCode != 0 || !File.Exists(tsv))
        {
            throw new ConversionFailedException($"OCR failed on this page ({result.Reason}).");
        }
        return ParseTesseract(await File.ReadAllLinesAsync(tsv, cancellationToken), 72.0 / dpi);
    }

    /// <summary>Columns: level page_num block_num par_num line_num word_num left top width height conf text.</summary>
    internal static List<PageWord> ParseTesseract(IEnumerable<string> lines, double scale)
    {
        var words = new List<PageWord>();
        var lineNumbers = new Dictionary<(string, string, string), int>();
        foreach (var row in lines.Skip(1))
        {
            var cells = row.Split('\t');
            if (cells.Length < 12 || cells[0] != "5" || string.IsNullOrWhiteSpace(cells[11]))
            {
                continue;
            }
            var key = (cells[2], cells[3], cells[4]);
            if (!lineNumbers.TryGetValue(key, out var line))
            {
                line = lineNumbers[key] = lineNumbers.Count;
            }
            double Number(int i) => double.Parse(cells[i], CultureInfo.InvariantCulture);
            var word = new PageWord(cells[11].Trim(), Number(6) * scale, Number(7) * scale, Number(8) * scale, Number(9) * scale, line,
                (float)Math.Max(0, Number(10)));
            if (words.Count > 0 && words[^1] is var previous && previous.Line == line && IsFalseSpace(previous, word))
            {
                words[^1] = Join(previous, word);
                continue;
            }
            words.Add(word);
        }
        return words;
    }

    /// <summary>
    /// Whether tesseract split one token in two at its punctuation: on a blurred scan it reads "asher.43@comcast.net" as
    /// "asher." "43@comcast." "net" and "413-572-6403" as "413-" "572-6403", which hides an address or a number from
    /// detection and search. A split is taken as false when the two pieces all but touch (a gap under an eighth of the
    /// line's height, where a real space measured a quarter or more) at a joining mark (- . / @ _), and a full stop is
    /// not followed by a capital, which starts a sentence.
    /// </summary>
    private static bool IsFalseSpace(PageWord left, PageWord right)
    {
        var gap = right.X - (left.X + left.Width);
        if (gap < 0 || gap >= Math.Max(left.Height, right.Height) / 8)
        {
            return false;
        }
        var end = left.Text[^1];
        var start = right.Text[0];
        if (start is '@' or '-' or '_' or '/')
        {
            return char.IsLetterOrDigit(end);
        }
        return end switch
        {
            '-' or '@' or '_' or '/' => char.IsLetterOrDigit(start),
            '.' => char.IsDigit(start) || char.IsLower(start),
            _ => false,
        };
    }

    private static PageWord Join(PageWord left, PageWord right)
    {
        var top = Math.Min(left.Y, right.Y);
        var bottom = Math.Max(left.Y + left.Height, right.Y + right.Height);
        return new PageWord(left.Text + right.Text, left.X, top, right.X + right.Width - left.X, bottom - top, left.Line, Math.Min(left.Confidence, right.Confidence));
    }
}
