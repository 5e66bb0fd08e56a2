using PdfSharp.Drawing;
using PdfSharp.Pdf;
using SkiaSharp;

namespace RecordsRequests.Benchmarks;

/// <summary>
/// What a copier does to a page: rendered in grey, turned by half a degree, blurred a little and speckled, then
/// wrapped as an image-only PDF. Shared by the documents benchmark and the tests that need a scan.
/// </summary>
public static class ScanSimulator
{
    public static byte[] Degrade(byte[] png, int seed = 42)
    {
        using var page = SKBitmap.Decode(png);
        using var surface = SKSurface.Create(new SKImageInfo(page.Width, page.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        canvas.RotateDegrees(0.5f, page.Width / 2f, page.Height / 2f);
        using (var blur = new SKPaint { ImageFilter = SKImageFilter.CreateBlur(0.6f, 0.6f) })
        using (var image = SKImage.FromBitmap(page))
        {
            canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKFilterMode.Linear), blur);
        }
        canvas.ResetMatrix();
        var random = new Random(seed);
        using var speck = new SKPaint { Color = new SKColor(40, 40, 40) };
        for (var i = 0; i < page.Width * page.Height / 4000; i++)
        {
            canvas.DrawCircle(random.Next(page.Width), random.Next(page.Height), 0.8f, speck);
        }
        using var snapshot = surface.Snapshot();
        using var data = snapshot.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>Pictures (PNG) at the given resolution as the pages of a PDF with no text layer.</summary>
    public static byte[] ImagePdf(IEnumerable<byte[]> pngs, int dpi)
    {
        using var document = new PdfDocument();
        foreach (var png in pngs)
        {
            using var codec = SKCodec.Create(new MemoryStream(png));
            var page = document.AddPage();
            page.Width = XUnit.FromPoint(codec.Info.Width * 72.0 / dpi);
            page.Height = XUnit.FromPoint(codec.Info.Height * 72.0 / dpi);
            using var graphics = XGraphics.FromPdfPage(page);
            using var image = XImage.FromStream(new MemoryStream(png));
            graphics.DrawImage(image, 0, 0, page.Width.Point, page.Height.Point);
        }
        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }
}
