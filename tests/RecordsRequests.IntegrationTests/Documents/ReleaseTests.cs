using RecordsRequests.Features.Documents;
using RecordsRequests.Features.Redactions;
using RecordsRequests.Features.Releases;
using SkiaSharp;

namespace RecordsRequests.IntegrationTests.Documents;

/// <summary>
/// A released page looks like the original page, with the boxes burned into its pixels: no tool that reads text or
/// pixels finds what was withheld, and the rest stays searchable.
/// </summary>
public sealed class ReleaseTests
{
    private static readonly byte[] Letterhead = TestDocuments.LetterheadPdf();
    private static readonly string[] Withheld = [TestDocuments.StudentName, TestDocuments.StudentId, TestDocuments.DateOfBirth, TestDocuments.GuardianName];

    private sealed record Released(DocumentPipeline.Read Read, PageReleasePdf Pdf, IReadOnlyList<BurnBox> Boxes);

    /// <summary>Every detector suggestion of the record, burned in, as counsel would approve them.</summary>
    private static async Task<Released> ReleaseAsync(byte[] content, string fileName, IReadOnlyList<BurnBox>? extra = null)
    {
        var read = await DocumentPipeline.ReadAsync(content, fileName);
        var boxes = new PiiDetector(Roster.Load(TestDocuments.RosterPath), new RedactionOptions()).Detect(read.Text.Text).Suggestions
            .SelectMany(s => read.Text.BoxesFor(s.Start, s.End).Select(b => new BurnBox(Guid.NewGuid(), b.Inflate(Redaction.BoxMargin), s.ExemptionCode)))
            .Concat(extra ?? []).ToList();
        var pages = read.Pages.Select(p => new SourcePage(p.Number, p.Width, p.Height, p.Png, p.HasColour, p.Words)).ToList();
        return new Released(read, PageReleaseWriter.Write(pages, boxes, "PRR-2026-0042", 1), boxes);
    }

    [Fact]
    public async Task ABornDigitalRelease_DiffersFromTheOriginalOnlyInsideTheBoxes_AndKeepsItsPageCount()
    {
        var released = await ReleaseAsync(Letterhead, "memo.pdf");

        Assert.Equal(1, released.Pdf.PageCount);
        // At low resolution, where a renderer's resampling of the picture and its anti-aliasing of the original's vector
        // glyphs wash out, but a missing word, a shifted table row or a lost letterhead does not.
        const int dpi = 50;
        using var original = SKBitmap.Decode(TestDocuments.RenderPng(Letterhead, dpi, grey: false));
        using var output = SKBitmap.Decode(TestDocuments.RenderPng(released.Pdf.Content, dpi, grey: false));
        var scale = dpi / 72.0;
        // Same width; the release is taller only by the Bates strip below the page.
        Assert.Equal(original.Width, output.Width);
        Assert.InRange(output.Height, Math.Floor((792 + PageReleaseWriter.BatesStrip) * scale), Math.Ceiling((792 + PageReleaseWriter.BatesStrip) * scale));
        var originalMeans = LocalMeans(original);
        var outputMeans = LocalMeans(output);
        var differing = 0;
        var compared = 0;
        for (var y = 1; y < original.Height - 1; y++)
        {
            for (var x = 1; x < original.Width - 1; x++)
            {
                if (released.Boxes.Any(b => x >= b.Box.X * scale - 2 && x <= b.Box.Right * scale + 2 && y >= b.Box.Y * scale - 2 && y <= b.Box.Bottom * scale + 2))
                {
                    continue;
                }
                compared++;
                // Renderers place a drawn picture up to half a pixel away from where they draw vector text: allow one pixel.
                var closest = double.MaxValue;
                for (var dy = -1; dy <= 1; dy++)
                {
                    for (var dx = -1; dx <= 1; dx++)
                    {
                        closest = Math.Min(closest, Math.Abs(originalMeans[y, x] - outputMeans[Math.Clamp(y + dy, 1, output.Height - 2), Math.Clamp(x + dx, 1, output.Width - 2)]));
                    }
                }
                if (closest > 30)
                {
                    differing++;
                }
            }
        }
        Assert.True(differing <= compared / 500, $"{differing} of {compared} pixels outside the boxes differ from the original");
        // The letterhead keeps its colour.
        Assert.True(PageImages.HasColour(TestDocuments.RenderPng(released.Pdf.Content, 50, grey: false)));
    }

    /// <summary>The brightness of each pixel averaged with its eight neighbours.</summary>
    private static double[,] LocalMeans(SKBitmap bitmap)
    {
        var means = new double[bitmap.Height, bitmap.Width];
        for (var y = 1; y < bitmap.Height - 1; y++)
        {
            for (var x = 1; x < bitmap.Width - 1; x++)
            {
                double sum = 0;
                for (var dy = -1; dy <= 1; dy++)
                {
                    for (var dx = -1; dx <= 1; dx++)
                    {
                        var c = bitmap.GetPixel(x + dx, y + dy);
                        sum += (c.Red + c.Green + c.Blue) / 3.0;
                    }
                }
                means[y, x] = sum / 9;
            }
        }
        return means;
    }

    [Theory]
    [InlineData("memo.pdf")]
    [InlineData("scan.pdf")]
    public async Task NeitherPdftotextNorTesseract_FindsAWithheldString_ButTheRestIsSearchable(string fileName)
    {
        var content = fileName == "scan.pdf" ? TestDocuments.ScannedPdf(Letterhead) : Letterhead;
        var released = await ReleaseAsync(content, fileName);

        var text = TestDocuments.Pdftotext(released.Pdf.Content);
        var ocr = TestDocuments.Ocr(TestDocuments.RenderPng(released.Pdf.Content, 300, grey: true));
        foreach (var secret in Withheld)
        {
            Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(secret, ocr, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("4410023", ocr.Replace(" ", ""), StringComparison.Ordinal);
        }
        foreach (var word in TestDocuments.PublicWords)
        {
            Assert.Contains(word, text, StringComparison.Ordinal);
        }
        Assert.Contains("PRR-2026-0042-000001", text, StringComparison.Ordinal);
        Assert.Empty(ReleaseGate.Check([new ProducedFile("PRR-2026-0042-000001.pdf", released.Pdf.Content)], Withheld.Select(s => new RedactedSecret(s, "planted")).ToList()));
    }

    [Fact]
    public async Task TheTextLayer_HoldsTheOriginalsExactWords_OutsideTheBoxes()
    {
        var released = await ReleaseAsync(Letterhead, "memo.pdf");

        var text = TestDocuments.Pdftotext(released.Pdf.Content);
        foreach (var exact in new[] { "$1,210,500", "$1,254,300", "Memorandum", "School", "Committee", "Reyes" })
        {
            Assert.Contains(exact, text, StringComparison.Ordinal);
        }
        // Punctuation beside a withheld name stays: "Her father, [26(a) FERPA], asked".
        Assert.Matches(@"father, \[26\(a\) FERPA\]\s*,\s*asked", text);
    }

    [Fact]
    public async Task ABoxDrawnOverAPhoto_LeavesNoOriginalPixelUnderIt()
    {
        // The letterhead's logo stands in for a photo: a coloured area with no words.
        var logo = new PageBox(1, 36, 14, 62, 62);
        var released = await ReleaseAsync(Letterhead, "memo.pdf", [new BurnBox(Guid.NewGuid(), logo, "26(c)")]);

        using var output = SKBitmap.Decode(TestDocuments.RenderPng(released.Pdf.Content, 150, grey: false));
        var scale = 150 / 72.0;
        var painted = released.Pdf.Boxes.Single(b => b.Box == logo);
        for (var y = (int)(logo.Y * scale) + 1; y < (int)(logo.Bottom * scale) - 1; y++)
        {
            for (var x = (int)(logo.X * scale) + 1; x < (int)(logo.Right * scale) - 1; x++)
            {
                var pixel = output.GetPixel(x, y);
                var inLabel = painted.Label is { } label && x >= label.X * scale - 2 && x <= label.Right * scale + 2 && y >= label.Y * scale - 2 && y <= label.Bottom * scale + 2;
                Assert.True(inLabel ? pixel.Red == pixel.Green && pixel.Green == pixel.Blue : pixel.Red < 40 && pixel.Green < 40 && pixel.Blue < 40,
                    $"pixel {x},{y} is {pixel}");
            }
        }
    }

    [Fact]
    public async Task TheGate_RejectsABoxThatIsNotSolidOnTheProducedFile_AndAWordThatOcrStillReads()
    {
        var scan = TestDocuments.ScannedPdf(Letterhead);
        var released = await ReleaseAsync(scan, "scan.pdf");
        // A box the file does not have (as if painting failed) and a withheld word that no box covers.
        var unpainted = new PaintedBox(Guid.NewGuid(), 0, "PRR-2026-0042-000001", new PageBox(1, 60, 240, 160, 26), null);
        var file = new ReleasedRecordFile(new ProducedFile("PRR-2026-0042-000001.pdf", released.Pdf.Content), [.. released.Pdf.Boxes, unpainted], HadOcr: true,
            [new RedactedSecret("Transportation", "planted")], "PRR-2026-0042", 1);
        var gate = new PageLeakGate(DocumentPipeline.Tools, DocumentPipeline.Reader, DocumentPipeline.Options);

        var hits = await gate.CheckAsync([file], CancellationToken.None);

        Assert.Contains(hits, h => h.Variant == "not solid in the rendered page" && h.Where.Contains("60,240", StringComparison.Ordinal));
        Assert.Contains(hits, h => h.Where.Contains("read again by OCR", StringComparison.Ordinal) && h.Label == "planted");
        Assert.DoesNotContain(hits, h => released.Pdf.Boxes.Any(b => h.Where.Contains($"{b.Box.X:0},{b.Box.Y:0}", StringComparison.Ordinal)));
    }
}
