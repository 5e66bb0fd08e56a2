using System.Net;
using System.Text;
using Ganss.Xss;
using MimeKit;
using PdfSharp.Drawing;
using SkiaSharp;
using UglyToad.PdfPig.Exceptions;

namespace RecordsRequests.Features.Documents;

/// <summary>
/// Turns any record into a PDF rendition: a PDF is its own; PNG, JPEG, GIF, BMP and WebP become one page each; a TIFF
/// keeps every page (tiff2pdf); Word, Excel, PowerPoint, OpenDocument, RTF, text and HTML go through LibreOffice headless;
/// an e-mail is typeset with its header block and body (remote content never fetched) and its attachments come back as
/// children. The original bytes are never changed: the rendition is stored beside them.
/// </summary>
public sealed class DocumentConverter(ExternalTools tools, Microsoft.Extensions.Options.IOptions<DocumentOptions> options)
{
    private static readonly HashSet<string> OfficeExtensions = [".docx", ".xlsx", ".pptx", ".doc", ".xls", ".ppt", ".odt", ".ods", ".odp", ".rtf", ".docm", ".xlsm"];
    private static readonly HashSet<string> TextExtensions = [".txt", ".text", ".md", ".csv", ".log", ".tsv"];

    /// <summary>Compound files: Outlook .msg, old Word and Excel, and password-protected Office files.</summary>
    private static readonly byte[] OleSignature = [0xD0, 0xCF, 0x11, 0xE0];

    public static DocumentKind Classify(ReadOnlySpan<byte> content, string fileName, string? contentType = null)
    {
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        if (content.StartsWith("%PDF-"u8) || (content.Length > 1024 && content[..1024].IndexOf("%PDF-"u8) >= 0 && extension == ".pdf"))
        {
            return DocumentKind.Pdf;
        }
        if (content.StartsWith("II*\0"u8) || content.StartsWith("MM\0*"u8))
        {
            return DocumentKind.Tiff;
        }
        if (content.StartsWith(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }) || content.StartsWith(new byte[] { 0xFF, 0xD8, 0xFF }) || content.StartsWith("GIF8"u8)
            || content.StartsWith("BM"u8) || (content.Length > 12 && content[..4].SequenceEqual("RIFF"u8) && content[8..12].SequenceEqual("WEBP"u8)))
        {
            return DocumentKind.Image;
        }
        if (OfficeExtensions.Contains(extension))
        {
            return DocumentKind.Office;
        }
        if (extension == ".msg" && content.StartsWith(OleSignature))
        {
            return DocumentKind.OutlookMessage;
        }
        if (extension == ".eml" || contentType is "message/rfc822")
        {
            return DocumentKind.Email;
        }
        if (TextExtensions.Contains(extension))
        {
            return DocumentKind.Text;
        }
        if (extension is ".html" or ".htm")
        {
            return DocumentKind.Html;
        }
        return DocumentKind.Unsupported;
    }

    public async Task<Rendition> ConvertAsync(byte[] content, string fileName, string scratch, CancellationToken cancellationToken, string? contentType = null)
    {
        var kind = Classify(content, fileName, contentType);
        switch (kind)
        {
            case DocumentKind.Pdf:
                CheckPdfOpens(content, fileName);
                return new Rendition(content, []);
            case DocumentKind.Image:
                return new Rendition(ImageToPdf(content, fileName), []);
            case DocumentKind.Tiff:
                return new Rendition(await TiffToPdfAsync(content, scratch, cancellationToken), []);
            case DocumentKind.Office:
            case DocumentKind.Text:
            case DocumentKind.Html:
                return new Rendition(await LibreOfficeAsync(content, SafeName(fileName, kind), scratch, cancellationToken), []);
            case DocumentKind.Email:
                return await EmailAsync(content, scratch, cancellationToken);
            case DocumentKind.OutlookMessage:
                return await EmailAsync(await OutlookToMimeAsync(content, scratch, cancellationToken), scratch, cancellationToken);
            default:
                throw new ConversionFailedException(Path.GetExtension(fileName).ToLowerInvariant() is ".zip" or ".7z" or ".rar"
                    ? "Archives are not opened: extract the files and add each one."
                    : $"This kind of file ({(Path.GetExtension(fileName) is { Length: > 0 } e ? e : "no extension")}) cannot be shown as pages. " +
                      "Convert it to PDF and add the PDF.");
        }
    }

    private static void CheckPdfOpens(byte[] content, string fileName)
    {
        try
        {
            using var document = UglyToad.PdfPig.PdfDocument.Open(content);
            if (document.NumberOfPages == 0)
            {
                throw new ConversionFailedException("The PDF has no pages.");
            }
        }
        catch (PdfDocumentEncryptedException)
        {
            throw new ConversionFailedException("The PDF is protected by a password. Ask its author for an unprotected copy and add that.");
        }
        catch (Exception e) when (e is not ConversionFailedException and not OutOfMemoryException)
        {
            throw new ConversionFailedException($"The PDF is damaged and cannot be read ({e.Message}).");
        }
    }

    /// <summary>
    /// One page per picture, sized from the picture's resolution (150 dpi when it has none) and shrunk to fit a
    /// letter page if larger: a phone photo of a form prints like the form.
    /// </summary>
    private static byte[] ImageToPdf(byte[] content, string fileName)
    {
        using var codec = SKCodec.Create(new MemoryStream(content))
            ?? throw new ConversionFailedException("The picture is damaged or in a format that cannot be read.");
        using var decoded = SKBitmap.Decode(codec) ?? throw new ConversionFailedException("The picture is damaged and cannot be read.");
        using var upright = Upright(decoded, codec.EncodedOrigin);
        using var png = upright.Encode(SKEncodedImageFormat.Png, 100);
        const double assumedDpi = 150;
        double width = upright.Width * 72 / assumedDpi, height = upright.Height * 72 / assumedDpi;
        var fit = Math.Min(1, Math.Min((width > height ? 792 : 612) / width, (width > height ? 612 : 792) / height));
        using var document = new PdfSharp.Pdf.PdfDocument();
        var page = document.AddPage();
        page.Width = XUnit.FromPoint(width * fit);
        page.Height = XUnit.FromPoint(height * fit);
        using (var graphics = XGraphics.FromPdfPage(page))
        using (var image = XImage.FromStream(new MemoryStream(png.ToArray())))
        {
            graphics.DrawImage(image, 0, 0, page.Width.Point, page.Height.Point);
        }
        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }

    /// <summary>Phone cameras store the picture sideways and say so in EXIF; the page shows it the way it was taken.</summary>
    private static SKBitmap Upright(SKBitmap bitmap, SKEncodedOrigin origin)
    {
        if (origin == SKEncodedOrigin.TopLeft)
        {
            return bitmap.Copy();
        }
        var sideways = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var result = new SKBitmap(sideways ? bitmap.Height : bitmap.Width, sideways ? bitmap.Width : bitmap.Height);
        using var canvas = new SKCanvas(result);
        switch (origin)
        {
            case SKEncodedOrigin.BottomRight:
                canvas.RotateDegrees(180, bitmap.Width / 2f, bitmap.Height / 2f);
                break;
            case SKEncodedOrigin.RightTop:
                canvas.Translate(result.Width, 0);
                canvas.RotateDegrees(90);
                break;
            case SKEncodedOrigin.LeftBottom:
                canvas.Translate(0, result.Height);
                canvas.RotateDegrees(270);
                break;
        }
        canvas.DrawBitmap(bitmap, 0, 0, new SKSamplingOptions(SKFilterMode.Nearest), null);
        return result;
    }

    private async Task<byte[]> TiffToPdfAsync(byte[] content, string scratch, CancellationToken cancellationToken)
    {
        var input = Path.Combine(scratch, "scan.tif");
        var output = Path.Combine(scratch, "scan.pdf");
        await File.WriteAllBytesAsync(input, content, cancellationToken);
        var result = await tools.RunAsync("tiff2pdf", ["-o", output, input], scratch, options.Value.ConversionTimeLimit, options.Value.ConverterMemoryBytes, cancellationToken);
        if (result.ExitCode != 0 || !File.Exists(output))
        {
            throw new ConversionFailedException($"The TIFF scan is damaged or uses a compression that cannot be read ({result.Reason}).");
        }
        return await File.ReadAllBytesAsync(output, cancellationToken);
    }

    /// <summary>
    /// LibreOffice headless with a profile of its own in the scratch folder, so conversions can run side by side and
    /// nothing of one file's settings reaches the next. Spreadsheets print every sheet.
    /// </summary>
    private async Task<byte[]> LibreOfficeAsync(byte[] content, string fileName, string scratch, CancellationToken cancellationToken)
    {
        var input = Path.Combine(scratch, fileName);
        var outFolder = Path.Combine(scratch, "pdf");
        Directory.CreateDirectory(outFolder);
        await File.WriteAllBytesAsync(input, content, cancellationToken);
        var profile = new Uri(Path.Combine(scratch, "profile")).AbsoluteUri;
        var output = Path.Combine(outFolder, Path.GetFileNameWithoutExtension(fileName) + ".pdf");
        ToolResult result = new(0, "", "");
        // A fresh profile's first start sometimes only sets the profile up and exits (code 81, "restart required")
        // without converting: the second start, on the profile now made, converts.
        for (var attempt = 0; attempt < 2 && !File.Exists(output); attempt++)
        {
            result = await tools.RunAsync("soffice",
                [$"-env:UserInstallation={profile}", "--headless", "--norestore", "--nolockcheck", "--nodefault", "--nologo",
                 "--convert-to", "pdf", "--outdir", outFolder, input],
                scratch, options.Value.ConversionTimeLimit, options.Value.ConverterMemoryBytes, cancellationToken);
        }
        if (!File.Exists(output))
        {
            var detail = ExternalTools.Tail(result.StandardError + "\n" + result.StandardOutput);
            throw new ConversionFailedException(LooksEncrypted(content)
                ? "The document is protected by a password. Ask its author for an unprotected copy and add that."
                : $"LibreOffice could not open the document: it is damaged, protected by a password, or not what its name says" +
                  (detail.Length > 0 ? $" ({detail})." : $" (exit code {result.ExitCode})."));
        }
        return await File.ReadAllBytesAsync(output, cancellationToken);
    }

    /// <summary>Password-protected Office files are OLE containers holding an EncryptedPackage stream.</summary>
    private static bool LooksEncrypted(byte[] content) =>
        content.AsSpan().StartsWith(OleSignature) && content.AsSpan().IndexOf(Encoding.Unicode.GetBytes("EncryptedPackage")) >= 0;

    /// <summary>The converter sees a plain name: the original may hold characters a shell or LibreOffice mistakes for options.</summary>
    private static string SafeName(string fileName, DocumentKind kind)
    {
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        if (kind == DocumentKind.Html)
        {
            extension = ".html";
        }
        return "document" + (extension.All(c => char.IsAsciiLetterOrDigit(c) || c == '.') ? extension : ".txt");
    }

    private async Task<byte[]> OutlookToMimeAsync(byte[] content, string scratch, CancellationToken cancellationToken)
    {
        var input = Path.Combine(scratch, "message.msg");
        var output = Path.Combine(scratch, "message.eml");
        await File.WriteAllBytesAsync(input, content, cancellationToken);
        var result = await tools.RunAsync("msgconvert", ["--outfile", output, input], scratch, options.Value.ConversionTimeLimit,
            options.Value.ConverterMemoryBytes, cancellationToken);
        if (result.ExitCode != 0 || !File.Exists(output))
        {
            throw new ConversionFailedException($"The Outlook message is damaged and cannot be read ({result.Reason}).");
        }
        return await File.ReadAllBytesAsync(output, cancellationToken);
    }

    /// <summary>
    /// An e-mail as a reader sees it: From, To, Cc, Date and Subject, then the body. HTML bodies are sanitised and
    /// every remote image or style dropped (converters run without network too); attachments become child records.
    /// </summary>
    private async Task<Rendition> EmailAsync(byte[] content, string scratch, CancellationToken cancellationToken)
    {
        MimeMessage message;
        try
        {
            message = await MimeMessage.LoadAsync(new MemoryStream(content), cancellationToken);
        }
        catch (FormatException e)
        {
            throw new ConversionFailedException($"The e-mail is damaged and cannot be read ({e.Message}).");
        }
        var html = new StringBuilder("<html><head><meta charset=\"utf-8\"></head><body style=\"font-family: 'Liberation Sans', sans-serif; font-size: 11pt\">");
        html.Append("<table cellpadding=\"2\" style=\"border-bottom: 1px solid #888; margin-bottom: 12pt\">");
        void Header(string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                html.Append("<tr><td><b>").Append(name).Append(":</b></td><td>").Append(WebUtility.HtmlEncode(value)).Append("</td></tr>");
            }
        }
        Header("From", message.From.ToString());
        Header("To", message.To.ToString());
        Header("Cc", message.Cc.ToString());
        Header("Date", message.Date == default ? null : message.Date.ToString("dddd, MMMM d, yyyy h:mm tt zzz", System.Globalization.CultureInfo.InvariantCulture));
        Header("Subject", message.Subject);
        var attachments = message.Attachments.OfType<MimePart>().ToList();
        Header("Attachments", string.Join(", ", attachments.Select((a, i) => a.FileName ?? $"attachment {i + 1}")));
        html.Append("</table>");
        if (message.HtmlBody is { } body)
        {
            html.Append(Sanitiser.Sanitize(body));
        }
        else
        {
            html.Append("<pre style=\"font-family: 'Liberation Mono', monospace; font-size: 10pt; white-space: pre-wrap\">")
                .Append(WebUtility.HtmlEncode(message.TextBody ?? "")).Append("</pre>");
        }
        html.Append("</body></html>");
        var pdf = await LibreOfficeAsync(Encoding.UTF8.GetBytes(html.ToString()), "message.html", scratch, cancellationToken);

        var children = new List<ChildDocument>();
        foreach (var (part, index) in attachments.Where(a => a.Content is not null).Select((a, i) => (a, i)))
        {
            using var buffer = new MemoryStream();
            await part.Content!.DecodeToAsync(buffer, cancellationToken);
            children.Add(new ChildDocument(Path.GetFileName(part.FileName ?? $"attachment-{index + 1}"), part.ContentType.MimeType, buffer.ToArray()));
        }
        foreach (var (attached, index) in message.Attachments.OfType<MessagePart>().Where(m => m.Message is not null).Select((m, i) => (m, i)))
        {
            using var buffer = new MemoryStream();
            await attached.Message!.WriteToAsync(buffer, cancellationToken);
            children.Add(new ChildDocument($"{(attached.Message!.Subject is { Length: > 0 } s ? Clip(s) : $"message-{index + 1}")}.eml", "message/rfc822", buffer.ToArray()));
        }
        return new Rendition(pdf, children);
    }

    private static string Clip(string subject) =>
        new string(subject.Select(c => Path.GetInvalidFileNameChars().Contains(c) ? '_' : c).Take(80).ToArray());

    /// <summary>Body HTML without scripts, forms, frames, remote images or remote styles: the page shows what was written.</summary>
    private static readonly HtmlSanitizer Sanitiser = CreateSanitiser();

    private static HtmlSanitizer CreateSanitiser()
    {
        var sanitiser = new HtmlSanitizer();
        sanitiser.AllowedSchemes.Clear();
        sanitiser.AllowedSchemes.Add("data");
        sanitiser.AllowedSchemes.Add("cid");
        sanitiser.AllowedTags.Remove("form");
        sanitiser.AllowedCssProperties.Remove("background-image");
        return sanitiser;
    }
}
