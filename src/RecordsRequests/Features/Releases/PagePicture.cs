using System.Globalization;
using System.IO.Compression;
using System.Text;
using PdfSharp.Pdf;
using SkiaSharp;

namespace RecordsRequests.Features.Releases;

/// <summary>
/// A burned page's pixels, deflated, as the image of a PDF page. PDFsharp's own image import decodes a PNG and deflates
/// it again in managed code, which took most of a release's time; the pixels go in as they are, deflated by the
/// platform's zlib, in the page's colour space (DeviceGray or DeviceRGB, 8 bits), and are drawn without interpolation so
/// a box's edge is not blended with the page around it.
/// </summary>
internal sealed record PagePicture(int Width, int Height, bool IsColour, byte[] Deflated)
{
    public static PagePicture Grey(SKBitmap grey) => new(grey.Width, grey.Height, false, Deflate(grey, 1));

    public static PagePicture Colour(SKBitmap rgba) => new(rgba.Width, rgba.Height, true, Deflate(rgba, 3));

    /// <summary>Rows of the bitmap's pixels, the first <paramref name="channels"/> bytes of each (RGB of RGBA), deflated.</summary>
    private static byte[] Deflate(SKBitmap bitmap, int channels)
    {
        var source = bitmap.GetPixelSpan();
        var stride = bitmap.BytesPerPixel;
        var row = new byte[bitmap.Width * channels];
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            for (var y = 0; y < bitmap.Height; y++)
            {
                var line = source.Slice(y * bitmap.RowBytes, bitmap.Width * stride);
                if (stride == channels)
                {
                    zlib.Write(line);
                    continue;
                }
                for (var x = 0; x < bitmap.Width; x++)
                {
                    line.Slice(x * stride, channels).CopyTo(row.AsSpan(x * channels));
                }
                zlib.Write(row);
            }
        }
        return output.ToArray();
    }

    /// <summary>Adds the picture to the page's resources and draws it over the page above the Bates strip.</summary>
    public void Place(PdfDocument document, PdfPage page, double width, double height, double bottomMargin)
    {
        var image = new PdfDictionary(document);
        image.Elements["/Type"] = new PdfName("/XObject");
        image.Elements["/Subtype"] = new PdfName("/Image");
        image.Elements["/Width"] = new PdfInteger(Width);
        image.Elements["/Height"] = new PdfInteger(Height);
        image.Elements["/ColorSpace"] = new PdfName(IsColour ? "/DeviceRGB" : "/DeviceGray");
        image.Elements["/BitsPerComponent"] = new PdfInteger(8);
        image.Elements["/Interpolate"] = new PdfBoolean(false);
        image.Elements["/Filter"] = new PdfName("/FlateDecode");
        image.CreateStream(Deflated);
        document.Internals.AddObject(image);
        var images = new PdfDictionary(document);
        images.Elements["/Page"] = image.Reference;
        page.Resources.Elements["/XObject"] = images;
        page.Contents.AppendContent().CreateStream(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"q {width:0.###} 0 0 {height:0.###} 0 {bottomMargin:0.###} cm /Page Do Q\n")));
    }
}
