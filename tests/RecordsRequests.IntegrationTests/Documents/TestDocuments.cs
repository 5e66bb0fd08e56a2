using System.Diagnostics;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using MimeKit;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using RecordsRequests.Benchmarks;
using RecordsRequests.Features.Releases;
using SkiaSharp;
using S = DocumentFormat.OpenXml.Spreadsheet;
using W = DocumentFormat.OpenXml.Wordprocessing;

namespace RecordsRequests.IntegrationTests.Documents;

/// <summary>
/// Real files of every kind a district hands over, made here so every test run starts from known content: a memo on
/// letterhead with a table, the same page scanned, a phone picture, a two-page TIFF from the copier, a Word file, an
/// Excel workbook with two sheets and an e-mail with the memo attached. Each carries the same planted identifiers of a
/// rostered student (tests/RecordsRequests.Tests/Redactions/TestData/roster.csv).
/// </summary>
public static class TestDocuments
{
    public const string StudentName = "Maya Okafor";
    public const string StudentId = "4410023";
    public const string DateOfBirth = "03/14/2012";
    public const string GuardianName = "Chidi Okafor";
    /// <summary>Words that are public and must survive a release, searchable.</summary>
    public static readonly string[] PublicWords = ["Athletics", "Transportation", "Superintendent"];

    public static string RosterPath => Path.Combine(AppContext.BaseDirectory, "Redactions", "TestData", "roster.csv");

    /// <summary>A letter page: coloured letterhead band with a logo, a paragraph naming the student, a bordered table, a signature.</summary>
    public static byte[] LetterheadPdf()
    {
        ReleaseFonts.Install();
        using var document = new PdfDocument();
        var page = document.AddPage();
        page.Width = XUnit.FromPoint(612);
        page.Height = XUnit.FromPoint(792);
        using (var g = XGraphics.FromPdfPage(page))
        {
            var title = new XFont(ReleaseFonts.Family, 20, XFontStyleEx.Bold);
            var body = new XFont(ReleaseFonts.Family, 12);
            g.DrawRectangle(new XSolidBrush(XColor.FromArgb(20, 60, 130)), 0, 0, 612, 90);
            g.DrawEllipse(new XSolidBrush(XColor.FromArgb(240, 180, 40)), 40, 18, 54, 54);
            g.DrawString("Westfield Public Schools", title, XBrushes.White, 110, 52);
            g.DrawString("Office of the Superintendent", body, XBrushes.White, 110, 72);
            string[] lines =
            [
                "Memorandum to the School Committee about the budget review.",
                $"The student {StudentName} (Student ID {StudentId}, DOB {DateOfBirth}) was",
                $"transported by the district. Her father, {GuardianName}, asked for the file.",
                "The Athletics and Transportation lines are shown below.",
            ];
            for (var i = 0; i < lines.Length; i++)
            {
                g.DrawString(lines[i], body, XBrushes.Black, 60, 140 + i * 20);
            }
            string[,] table = { { "Account", "FY2025", "FY2026" }, { "Athletics", "$412,000", "$398,600" }, { "Transportation", "$1,210,500", "$1,254,300" }, { "Library", "$88,100", "$90,250" } };
            for (var row = 0; row < 4; row++)
            {
                for (var column = 0; column < 3; column++)
                {
                    var x = 60 + column * 160;
                    var y = 240 + row * 26;
                    g.DrawRectangle(XPens.Black, x, y, 160, 26);
                    g.DrawString(table[row, column], body, XBrushes.Black, x + 8, y + 18);
                }
            }
            g.DrawString("Superintendent Dana Reyes", body, XBrushes.Black, 60, 420);
        }
        return Save(document);
    }

    /// <summary>A plain letter page: the given lines in 12-point text, one under the other.</summary>
    public static byte[] LetterPdf(params string[] lines)
    {
        ReleaseFonts.Install();
        using var document = new PdfDocument();
        var page = document.AddPage();
        page.Width = XUnit.FromPoint(612);
        page.Height = XUnit.FromPoint(792);
        using (var g = XGraphics.FromPdfPage(page))
        {
            var body = new XFont(ReleaseFonts.Family, 12);
            for (var i = 0; i < lines.Length; i++)
            {
                g.DrawString(lines[i], body, XBrushes.Black, 60, 100 + i * 20);
            }
        }
        return Save(document);
    }

    /// <summary>
    /// The page as a copier scans it: rendered at 200 dpi in grey, turned by half a degree, blurred a little and
    /// speckled, then wrapped as an image-only PDF (no text layer at all).
    /// </summary>
    public static byte[] ScannedPdf(byte[] pdf) => ImagePdf(Scan(RenderPng(pdf, 200, grey: true)), 200);

    /// <summary>A phone picture of the page, as a PNG.</summary>
    public static byte[] Png(byte[] pdf) => Scan(RenderPng(pdf, 200, grey: false));

    /// <summary>A two-page TIFF from the copier (8-bit grey, uncompressed): the memo, then the memo again.</summary>
    public static byte[] TwoPageTiff(byte[] pdf)
    {
        using var page = SKBitmap.Decode(Scan(RenderPng(pdf, 200, grey: true)));
        using var grey = new SKBitmap(page.Width, page.Height, SKColorType.Gray8, SKAlphaType.Opaque);
        using (var canvas = new SKCanvas(grey))
        {
            canvas.DrawBitmap(page, 0, 0, new SKSamplingOptions(SKFilterMode.Nearest), null);
        }
        var rows = grey.Bytes;
        var pixels = new byte[grey.Width * grey.Height];
        for (var y = 0; y < grey.Height; y++)
        {
            Array.Copy(rows, y * grey.RowBytes, pixels, y * grey.Width, grey.Width);
        }
        return Tiff([pixels, pixels], grey.Width, grey.Height, 200);
    }

    public static byte[] Docx()
    {
        using var stream = new MemoryStream();
        using (var word = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = word.AddMainDocumentPart();
            var paragraphs = new[]
            {
                "Westfield Public Schools - Office of the Superintendent",
                $"Re: {StudentName}, Student ID {StudentId}, DOB {DateOfBirth}.",
                $"Her father {GuardianName} asked for the transportation file.",
            }.Select(text => new W.Paragraph(new W.Run(new W.Text(text)))).ToList<OpenXmlElement>();
            var table = new W.Table(new W.TableProperties(new W.TableBorders(
                new W.TopBorder { Val = W.BorderValues.Single, Size = 4 }, new W.BottomBorder { Val = W.BorderValues.Single, Size = 4 },
                new W.InsideHorizontalBorder { Val = W.BorderValues.Single, Size = 4 })));
            foreach (var (a, b) in new[] { ("Account", "FY2026"), ("Athletics", "$398,600"), ("Transportation", "$1,254,300") })
            {
                table.Append(new W.TableRow(new W.TableCell(new W.Paragraph(new W.Run(new W.Text(a)))), new W.TableCell(new W.Paragraph(new W.Run(new W.Text(b))))));
            }
            paragraphs.Add(table);
            paragraphs.Add(new W.Paragraph(new W.Run(new W.Text("Superintendent Dana Reyes"))));
            main.Document = new W.Document(new W.Body(paragraphs));
        }
        return stream.ToArray();
    }

    /// <summary>
    /// Two sheets: the budget, and a roster extract naming the student (every sheet must reach the pages); or the
    /// budget alone, a public record with nothing to redact.
    /// </summary>
    public static byte[] Xlsx(bool withRiders = true)
    {
        using var stream = new MemoryStream();
        using (var workbook = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var book = workbook.AddWorkbookPart();
            book.Workbook = new S.Workbook(new S.Sheets());
            AddSheet(book, 1, "Budget", [["Account", "FY2026"], ["Athletics", "398600"], ["Transportation", "1254300"]]);
            if (withRiders)
            {
                AddSheet(book, 2, "Riders", [["Student", "Student ID", "Born"], [StudentName, StudentId, DateOfBirth], ["Superintendent", "", ""]]);
            }
        }
        return stream.ToArray();
    }

    private static void AddSheet(WorkbookPart book, uint id, string name, string[][] rows)
    {
        var part = book.AddNewPart<WorksheetPart>();
        var data = new S.SheetData();
        foreach (var row in rows)
        {
            data.Append(new S.Row(row.Select(cell => new S.Cell { DataType = S.CellValues.InlineString, InlineString = new S.InlineString(new S.Text(cell)) })));
        }
        part.Worksheet = new S.Worksheet(new S.Columns(new S.Column { Min = 1, Max = 3, Width = 24, CustomWidth = true }), data);
        book.Workbook.Sheets!.Append(new S.Sheet { Id = book.GetIdOfPart(part), SheetId = id, Name = name });
    }

    /// <summary>An e-mail from the transportation office with the memo attached as a PDF.</summary>
    public static byte[] EmailWithPdf(byte[] pdf)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Transportation Office", "transport@westfield.example"));
        message.To.Add(new MailboxAddress("Superintendent", "super@westfield.example"));
        message.Subject = "Bus file for the committee";
        message.Date = new DateTimeOffset(2026, 10, 6, 9, 30, 0, TimeSpan.FromHours(-4));
        var builder = new BodyBuilder
        {
            TextBody = $"Attached is the memo. {StudentName} (Student ID {StudentId}) rides bus 14.\nThe Athletics budget is unchanged.",
        };
        builder.Attachments.Add("memo.pdf", pdf, new ContentType("application", "pdf"));
        message.Body = builder.ToMessageBody();
        using var stream = new MemoryStream();
        message.WriteTo(stream);
        return stream.ToArray();
    }

    public static byte[] RenderPng(byte[] pdf, int dpi, bool grey, int page = 1)
    {
        var folder = Directory.CreateTempSubdirectory("records-test-render-").FullName;
        try
        {
            var input = Path.Combine(folder, "in.pdf");
            File.WriteAllBytes(input, pdf);
            var arguments = $"-r {dpi} -f {page} -l {page} -singlefile -png {(grey ? "-gray " : "")}{input} {Path.Combine(folder, "out")}";
            Run("pdftoppm", arguments);
            return File.ReadAllBytes(Path.Combine(folder, "out.png"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    public static string Pdftotext(byte[] pdf)
    {
        var folder = Directory.CreateTempSubdirectory("records-test-text-").FullName;
        try
        {
            var input = Path.Combine(folder, "in.pdf");
            File.WriteAllBytes(input, pdf);
            return Run("pdftotext", $"-layout {input} -");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Tesseract's plain text of a picture (PNG bytes), English.</summary>
    public static string Ocr(byte[] png)
    {
        var folder = Directory.CreateTempSubdirectory("records-test-ocr-").FullName;
        try
        {
            var input = Path.Combine(folder, "in.png");
            File.WriteAllBytes(input, png);
            return Run("tesseract", $"{input} - -l eng");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string Run(string program, string arguments)
    {
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["OMP_THREAD_LIMIT"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start; run ops/test, which installs it.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {arguments} failed: {error.Result}");
        }
        return output.Result;
    }

    private static byte[] Scan(byte[] png) => ScanSimulator.Degrade(png);

    private static byte[] ImagePdf(byte[] png, int dpi) => ScanSimulator.ImagePdf([png], dpi);

    private static byte[] Save(PdfDocument document)
    {
        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }

    /// <summary>A baseline TIFF, one uncompressed 8-bit grey strip per page, little-endian, pages chained by their IFDs.</summary>
    private static byte[] Tiff(IReadOnlyList<byte[]> pages, int width, int height, int dpi)
    {
        using var stream = new MemoryStream();
        var writer = new BinaryWriter(stream);
        writer.Write("II"u8);
        writer.Write((ushort)42);
        var nextIfdPointer = stream.Position;
        writer.Write(0u);
        foreach (var pixels in pages)
        {
            var pixelsAt = (uint)stream.Position;
            writer.Write(pixels, 0, width * height);
            var resolutionAt = (uint)stream.Position;
            writer.Write((uint)dpi);
            writer.Write(1u);
            var ifdAt = (uint)stream.Position;
            stream.Position = nextIfdPointer;
            writer.Write(ifdAt);
            stream.Position = ifdAt;
            (ushort Tag, ushort Type, uint Value)[] entries =
            [
                (256, 4, (uint)width), (257, 4, (uint)height), (258, 3, 8), (259, 3, 1), (262, 3, 1), (273, 4, pixelsAt),
                (277, 3, 1), (278, 4, (uint)height), (279, 4, (uint)(width * height)), (282, 5, resolutionAt), (283, 5, resolutionAt), (296, 3, 2),
            ];
            writer.Write((ushort)entries.Length);
            foreach (var (tag, type, value) in entries)
            {
                writer.Write(tag);
                writer.Write(type);
                writer.Write(1u);
                writer.Write(value);
            }
            nextIfdPointer = stream.Position;
            writer.Write(0u);
        }
        return stream.ToArray();
    }
}
