using System.Globalization;
using SkiaSharp;

namespace RecordsRequests.Features.Documents;

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
