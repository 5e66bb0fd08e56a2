using System.Globalization;
using Microsoft.Extensions.Options;
using SkiaSharp;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;

namespace RecordsRequests.Features.Documents;

/// <summary>A page read from a rendition: its size, its picture (PNG at <see cref="PageImages.ReviewDpi"/>) and its words.</summary>
public sealed record ReadPage(int Number, double Width, double Height, byte[] Png, bool HasColour, PageTextSource TextSource, List<PageWord> Words);

/// <summary>What the reader is doing, for the records page: "Reading page 3 of 12".</summary>
public sealed record PageProgress(int Done, int Total);

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

/// <summary>Page pictures: rendering with pdftoppm, their size, and whether a page has colour.</summary>
public static class PageImages
{
    /// <summary>Review and release resolution: 150 dpi reads like paper and keeps a letter page near 100 KB in grey.</summary>
    public const int ReviewDpi = 150;

    public static async Task<byte[]> RenderAsync(ExternalTools tools, DocumentOptions options, string pdfPath, int page, int dpi, bool grey, string scratch,
        CancellationToken cancellationToken)
    {
        var folder = Path.Combine(scratch, $"render-{page}-{dpi}{(grey ? "-grey" : "")}");
        var png = await PdftoppmAsync(tools, options, pdfPath, page, dpi, grey ? ["-png", "-gray"] : ["-png"], ".png", folder, cancellationToken);
        var bytes = await File.ReadAllBytesAsync(png, cancellationToken);
        Directory.Delete(folder, recursive: true);
        return bytes;
    }

    /// <summary>
    /// A page rendered as an 8-bit grey map (pdftoppm's PGM, no compression), for the machine readers that follow: OCR
    /// and the leak gate's pixel check. Disposing it deletes the file: a 300 dpi page is 8 MB.
    /// </summary>
    public static async Task<GreyPicture> RenderGreyAsync(ExternalTools tools, DocumentOptions options, string pdfPath, int page, int dpi, string scratch,
        CancellationToken cancellationToken)
    {
        var folder = Path.Combine(scratch, $"grey-{page}-{dpi}-{Guid.NewGuid():N}");
        var pgm = await PdftoppmAsync(tools, options, pdfPath, page, dpi, ["-gray"], ".pgm", folder, cancellationToken);
        return GreyPicture.Read(pgm, folder);
    }

    /// <summary>One page of the PDF rendered by pdftoppm into its own folder; the path of the file it wrote.</summary>
    private static async Task<string> PdftoppmAsync(ExternalTools tools, DocumentOptions options, string pdfPath, int page, int dpi, string[] format, string extension,
        string folder, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var target = Path.Combine(folder, "page");
        var page1 = page.ToString(CultureInfo.InvariantCulture);
        var result = await tools.RunAsync("pdftoppm", ["-r", dpi.ToString(CultureInfo.InvariantCulture), "-f", page1, "-l", page1, "-singlefile", .. format, pdfPath, target],
            Path.GetDirectoryName(folder)!, options.PageTimeLimit, options.PageToolMemoryBytes, cancellationToken);
        var file = target + extension;
        if (result.ExitCode != 0 || !File.Exists(file))
        {
            Directory.Delete(folder, recursive: true);
            throw new ConversionFailedException($"Page {page} could not be rendered ({result.Reason}).");
        }
        return file;
    }

    public static (double Width, double Height) SizeInPoints(byte[] png, int dpi)
    {
        using var codec = SKCodec.Create(new MemoryStream(png)) ?? throw new ConversionFailedException("A rendered page could not be read back.");
        return (codec.Info.Width * 72.0 / dpi, codec.Info.Height * 72.0 / dpi);
    }

    /// <summary>A page has colour when a visible share of its pixels is not grey (a letterhead, a highlighted line, a photo).</summary>
    public static bool HasColour(byte[] png)
    {
        using var bitmap = SKBitmap.Decode(png);
        var coloured = 0;
        var step = Math.Max(1, (int)Math.Sqrt(bitmap.Width * bitmap.Height / 40_000.0));
        var sampled = 0;
        for (var y = 0; y < bitmap.Height; y += step)
        {
            for (var x = 0; x < bitmap.Width; x += step)
            {
                var c = bitmap.GetPixel(x, y);
                sampled++;
                if (Math.Max(c.Red, Math.Max(c.Green, c.Blue)) - Math.Min(c.Red, Math.Min(c.Green, c.Blue)) > 24)
                {
                    coloured++;
                }
            }
        }
        return coloured > sampled / 2000;
    }
}

/// <summary>An 8-bit grey picture read from a binary PGM file (P5), one byte a pixel, 0 black; its folder goes with it.</summary>
public sealed class GreyPicture : IDisposable
{
    private GreyPicture(int width, int height, byte[] pixels, string path, string folder) =>
        (Width, Height, Pixels, Path, Folder) = (width, height, pixels, path, folder);

    public int Width { get; }
    public int Height { get; }
    public byte[] Pixels { get; }
    public string Path { get; }
    public string Folder { get; }

    public byte this[int x, int y] => Pixels[y * Width + x];

    public static GreyPicture Read(string path, string folder)
    {
        var bytes = File.ReadAllBytes(path);
        // Header: "P5", width, height and the largest grey value, separated by white space (and comments), then one
        // white-space byte and the pixels.
        var position = 0;
        string Token()
        {
            while (position < bytes.Length && (char.IsWhiteSpace((char)bytes[position]) || bytes[position] == '#'))
            {
                if (bytes[position] == '#')
                {
                    while (position < bytes.Length && bytes[position] != '\n')
                    {
                        position++;
                    }
                }
                else
                {
                    position++;
                }
            }
            var start = position;
            while (position < bytes.Length && !char.IsWhiteSpace((char)bytes[position]))
            {
                position++;
            }
            return System.Text.Encoding.ASCII.GetString(bytes, start, position - start);
        }
        var magic = Token();
        var width = int.Parse(Token(), CultureInfo.InvariantCulture);
        var height = int.Parse(Token(), CultureInfo.InvariantCulture);
        var maximum = int.Parse(Token(), CultureInfo.InvariantCulture);
        position++;
        if (magic != "P5" || maximum != 255 || bytes.Length - position < (long)width * height)
        {
            throw new ConversionFailedException("A rendered page could not be read back.");
        }
        return new GreyPicture(width, height, bytes.AsSpan(position, width * height).ToArray(), path, folder);
    }

    public void Dispose()
    {
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }
}

/// <summary>Whether words read in English are in fact Spanish or Portuguese, by the share of their short common words.</summary>
public static class OcrLanguage
{
    /// <summary>
    /// Articles, prepositions and conjunctions of Spanish and Portuguese that are not English words: on a page in either
    /// language they are a fifth or more of the words; an English page that quotes a line of Spanish stays well under.
    /// </summary>
    private static readonly HashSet<string> FunctionWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "el", "la", "los", "las", "del", "de", "que", "y", "por", "para", "con", "una", "es", "se", "su", "sus", "al", "lo", "como",
        "pero", "muy", "este", "esta", "fue", "em", "um", "uma", "não", "nao", "com", "ao", "os", "da", "das", "dos", "nas", "nos",
        "pelo", "pela", "seu", "sua", "é", "são", "sao", "mais", "foi", "mi", "mis", "usted", "você", "voce", "le", "les",
    };

    /// <summary>The share of a page's words that must be such words for the page to be read again in those languages.</summary>
    public const double Share = 0.12;

    public static bool ReadsAsSpanishOrPortuguese(IReadOnlyList<PageWord> words)
    {
        var counted = 0;
        var foreign = 0;
        foreach (var word in words)
        {
            var text = word.Text.Trim('.', ',', ';', ':', '"', '\'', '(', ')', '¿', '?', '¡', '!');
            if (text.Length == 0 || !char.IsLetter(text[0]))
            {
                continue;
            }
            counted++;
            foreign += FunctionWords.Contains(text) ? 1 : 0;
        }
        return foreign >= 5 && foreign >= counted * Share;
    }
}
