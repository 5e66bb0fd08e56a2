using System.Diagnostics;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using RecordsRequests.Features.Redactions;
using RecordsRequests.Features.Releases;
using RecordsRequests.IntegrationTests.Documents;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;

namespace RecordsRequests.IntegrationTests.Redactions;

public sealed class ReleasePdfTests
{
    private static readonly Roster Roster = Roster.Load(Path.Combine(AppContext.BaseDirectory, "Redactions", "TestData", "roster.csv"));

    private const string Incident = """
        Westfield Public Schools - incident note

        On March 3 Maya Okafor (student ID 4410023, DOB: 03/14/2012) was involved in a discipline matter.
        Her father, OKAFOR, CHIDI, called from 413-555-0142 and wrote from chidi.okafor@gmail.com.
        Liam O'Brien's IEP meeting is rescheduled. The family lives at 5 Birch Rd.
        Ms. Daniels can be reached at home phone (413) 555-0199; her husband Robert Daniels dropped off forms.
        SSN 031-44-9012 was on the form by mistake.
        """;

    /// <summary>The incident note as a record: typeset, made into pages, every suggestion burned in.</summary>
    private static async Task<(PageReleasePdf Pdf, IReadOnlyList<RedactionSuggestion> Suggestions)> Produce(string text)
    {
        var read = await DocumentPipeline.ReadAsync(ReleasePdfWriter.Write(text, "SOURCE", 1).Content, "incident.pdf");
        var suggestions = new PiiDetector(Roster, new RedactionOptions()).Detect(read.Text.Text).Suggestions;
        var boxes = suggestions.SelectMany(s => read.Text.BoxesFor(s.Start, s.End).Select(b => new BurnBox(Guid.NewGuid(), b.Inflate(Redaction.BoxMargin), s.ExemptionCode)));
        var pages = read.Pages.Select(p => new SourcePage(p.Number, p.Width, p.Height, p.Png, p.HasColour, p.Words)).ToList();
        return (PageReleaseWriter.Write(pages, boxes.ToList(), "PRR-2026-0042", 1), suggestions);
    }

    [Fact]
    public async Task Release_RedactedSpans_AreAbsentFromPdfPigAndPdftotextText()
    {
        var (pdf, suggestions) = await Produce(Incident);
        Assert.Equal(11, suggestions.Count);

        var pdfPigText = PdfPigText(pdf.Content);
        var popplerText = Pdftotext(pdf.Content);
        foreach (var suggestion in suggestions)
        {
            Assert.DoesNotContain(LeakScanner.WordsProjection(suggestion.Text), LeakScanner.WordsProjection(pdfPigText), StringComparison.Ordinal);
            Assert.DoesNotContain(LeakScanner.WordsProjection(suggestion.Text), LeakScanner.WordsProjection(popplerText), StringComparison.Ordinal);
        }
        // What is left is still there, the boxes say why, and the page carries its Bates number.
        Assert.Contains("was involved in a", popplerText, StringComparison.Ordinal);
        Assert.Contains("[26(a) FERPA]", popplerText, StringComparison.Ordinal);
        Assert.Contains("[26(o)]", popplerText, StringComparison.Ordinal);
        Assert.Contains("[26(p)]", popplerText, StringComparison.Ordinal);
        Assert.Contains("PRR-2026-0042-000001", popplerText, StringComparison.Ordinal);
        Assert.Empty(ReleaseGate.Check([new ProducedFile("incident.pdf", pdf.Content)], Secrets(suggestions)));
    }

    [Fact]
    public void Release_LongDocument_NumbersEveryPageAndContinuesAcrossDocuments()
    {
        var text = string.Join('\n', Enumerable.Range(1, 200).Select(i => $"Line {i} of the minutes."));
        var first = ReleasePdfWriter.Write(text, "PRR-2026-0042", 1);
        var second = ReleasePdfWriter.Write("Second record.", "PRR-2026-0042", 1 + first.PageCount);

        Assert.True(first.PageCount > 1);
        Assert.Equal($"PRR-2026-0042-{first.PageCount:D6}", first.LastBates);
        Assert.Equal($"PRR-2026-0042-{first.PageCount + 1:D6}", second.FirstBates);
        Assert.Contains("Line 200 of the minutes.", PdfPigText(first.Content), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Release_ProducedPdf_CarriesNoDocumentMetadata()
    {
        var pdf = (await Produce(Incident)).Pdf.Content;

        using var document = UglyToad.PdfPig.PdfDocument.Open(pdf);
        var info = document.Information;
        Assert.Null(info.Producer);
        Assert.Null(info.Creator);
        Assert.Null(info.CreationDate);
        Assert.Null(info.ModifiedDate);
        Assert.Null(info.Title);
        Assert.Null(info.Author);
        Assert.True(info.DocumentInformationDictionary is null || info.DocumentInformationDictionary.Data.Count == 0);
        Assert.False(document.TryGetXmpMetadata(out _));
        // A byte scan as well: no XMP packet and no producer string anywhere in the file, compressed or not.
        var raw = System.Text.Encoding.Latin1.GetString(pdf);
        Assert.DoesNotContain("/Metadata", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("xmpmeta", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("PDFsharp", raw, StringComparison.OrdinalIgnoreCase);
        // Poppler reads the patched file without complaint and finds no producer or dates either.
        var (pdfinfo, errors) = Poppler("pdfinfo", pdf);
        Assert.Equal("", errors);
        Assert.DoesNotContain("Producer", pdfinfo, StringComparison.Ordinal);
        Assert.DoesNotContain("CreationDate", pdfinfo, StringComparison.Ordinal);
        Assert.Contains("Pages:", pdfinfo, StringComparison.Ordinal);
    }

    [Fact]
    public void LeakGate_PlantedLeakInText_BlocksReleaseAndSaysWhere()
    {
        var suggestions = new PiiDetector(Roster, new RedactionOptions()).Detect(Incident).Suggestions;
        // Planted leak: the student's name left in, lower-cased and broken over a line.
        var leaky = ReleasePdfWriter.Write("Notes about maya\nOKAFOR follow.", "PRR-2026-0042", 1);

        var hits = ReleaseGate.Check([new ProducedFile("PRR-2026-0042-000001.pdf", leaky.Content)], Secrets(suggestions));

        Assert.Contains(hits, h => h.File == "PRR-2026-0042-000001.pdf" && h.Where == "page 1 text" && h.Label.StartsWith("StudentName", StringComparison.Ordinal));
    }

    [Fact]
    public void LeakGate_IdentifierWithOtherSeparators_IsFoundByItsDigits()
    {
        var leaky = ReleasePdfWriter.Write("Reference 0314 49012 on file.", "PRR-2026-0042", 1);

        var hits = ReleaseGate.Check([new ProducedFile("x.pdf", leaky.Content)], [new RedactedSecret("031-44-9012", "SocialSecurityNumber")]);

        Assert.Contains(hits, h => h.Variant == "digits only");
    }

    [Fact]
    public void LeakGate_SecretInMetadataOrUnderABlackBox_BlocksRelease()
    {
        var painted = PaintedOver("Student: Maya Okafor", overText: true, title: "Okafor discipline file");

        var hits = ReleaseGate.Check([new ProducedFile("painted.pdf", painted)],
            [new RedactedSecret("Maya Okafor", "StudentName"), new RedactedSecret("Okafor discipline file", "Title")]);

        Assert.Contains(hits, h => h.Label == "StudentName" && h.Where.StartsWith("page 1", StringComparison.Ordinal));
        Assert.Contains(hits, h => h.Label == "Title");
    }

    [Fact]
    public async Task CheckPdf_TextUnderABlackBox_IsFlagged_TextOnTopOfABox_IsNot()
    {
        var bad = PdfOverlayInspector.Inspect("bad.pdf", PaintedOver("Student: Maya Okafor", overText: true));
        var sound = PdfOverlayInspector.Inspect("sound.pdf", PaintedOver("Student: Maya Okafor", overText: false));
        var released = PdfOverlayInspector.Inspect("released.pdf", (await Produce(Incident)).Pdf.Content);

        var finding = Assert.Single(bad.Findings);
        Assert.Contains("MayaOkafor", finding.Text, StringComparison.Ordinal);
        Assert.False(sound.HasHiddenText);
        Assert.False(released.HasHiddenText);
    }

    private static IReadOnlyList<RedactedSecret> Secrets(IEnumerable<RedactionSuggestion> suggestions) =>
        suggestions.Select(s => new RedactedSecret(s.Text, s.Category.ToString())).ToList();

    /// <summary>The classic failed redaction: live text with a black rectangle painted over it (or, when sound, white text on top of the box).</summary>
    private static byte[] PaintedOver(string text, bool overText, string? title = null)
    {
        ReleaseFonts.Install();
        using var document = new PdfDocument();
        if (title is not null)
        {
            document.Info.Title = title;
        }
        var page = document.AddPage();
        using (var graphics = XGraphics.FromPdfPage(page))
        {
            var font = new XFont(ReleaseFonts.Family, 12, XFontStyleEx.Regular, new XPdfFontOptions(PdfFontEncoding.Unicode));
            if (overText)
            {
                graphics.DrawString(text, font, XBrushes.Black, new XPoint(72, 100));
                graphics.DrawRectangle(XBrushes.Black, 60, 85, 300, 20);
            }
            else
            {
                graphics.DrawRectangle(XBrushes.Black, 60, 85, 300, 20);
                graphics.DrawString(text, font, XBrushes.White, new XPoint(72, 100));
            }
        }
        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }

    private static string PdfPigText(byte[] pdf)
    {
        using var document = UglyToad.PdfPig.PdfDocument.Open(pdf);
        return string.Join('\n', document.GetPages().Select(p => ContentOrderTextExtractor.GetText(p)));
    }

    private static string Pdftotext(byte[] pdf) => Poppler("pdftotext", pdf, "-").Output;

    private static (string Output, string Errors) Poppler(string tool, byte[] pdf, params string[] extra)
    {
        if (!File.Exists($"/usr/bin/{tool}"))
        {
            Assert.Fail($"{tool} is missing: install poppler-utils (ops/test does).");
        }
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, pdf);
            using var process = Process.Start(new ProcessStartInfo($"/usr/bin/{tool}", [path, .. extra]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var errors = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.Equal(0, process.ExitCode);
            return (output, errors.Result);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
