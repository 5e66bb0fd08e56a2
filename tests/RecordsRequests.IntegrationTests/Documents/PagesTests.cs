using RecordsRequests.Features.Documents;
using RecordsRequests.Features.Redactions;

namespace RecordsRequests.IntegrationTests.Documents;

/// <summary>Every kind of record becomes pages with words, and detection finds the planted identifiers on each.</summary>
public sealed class PagesTests
{
    private static readonly byte[] Letterhead = TestDocuments.LetterheadPdf();

    public static TheoryData<string> Kinds => ["letterhead.pdf", "scan.pdf", "photo.png", "copier.tif", "memo.docx", "riders.xlsx"];

    private static byte[] Make(string fileName) => fileName switch
    {
        "letterhead.pdf" => Letterhead,
        "scan.pdf" => TestDocuments.ScannedPdf(Letterhead),
        "photo.png" => TestDocuments.Png(Letterhead),
        "copier.tif" => TestDocuments.TwoPageTiff(Letterhead),
        "memo.docx" => TestDocuments.Docx(),
        "riders.xlsx" => TestDocuments.Xlsx(),
        _ => throw new ArgumentOutOfRangeException(nameof(fileName)),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task EveryKind_BecomesPagesWithWords_AndDetectionFindsThePlantedIdentifiers(string fileName)
    {
        var read = await DocumentPipeline.ReadAsync(Make(fileName), fileName);

        Assert.NotEmpty(read.Pages);
        Assert.All(read.Pages, page => Assert.NotEmpty(page.Words));
        var expectOcr = fileName is "scan.pdf" or "photo.png" or "copier.tif";
        Assert.All(read.Pages, page => Assert.Equal(expectOcr ? PageTextSource.Ocr : PageTextSource.TextLayer, page.TextSource));
        if (fileName == "copier.tif")
        {
            Assert.Equal(2, read.Pages.Count);
        }

        var found = Detect(read.Text.Text);
        Assert.Contains(found, s => s.Contains(TestDocuments.StudentId, StringComparison.Ordinal));
        Assert.Contains(found, s => s.Contains("Okafor", StringComparison.Ordinal));
        // Every suggestion maps to boxes on a page: that is what a release paints.
        foreach (var suggestion in new PiiDetector(Roster.Load(TestDocuments.RosterPath), new RedactionOptions()).Detect(read.Text.Text).Suggestions)
        {
            Assert.NotEmpty(read.Text.BoxesFor(suggestion.Start, suggestion.End));
        }
    }

    [Fact]
    public async Task AnXlsx_KeepsEverySheet()
    {
        var read = await DocumentPipeline.ReadAsync(TestDocuments.Xlsx(), "riders.xlsx");

        Assert.Contains("Athletics", read.Text.Text, StringComparison.Ordinal);
        Assert.Contains(TestDocuments.StudentId, read.Text.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEmail_ShowsItsHeaderBlockAndBody_AndItsAttachmentBecomesAChild()
    {
        var read = await DocumentPipeline.ReadAsync(TestDocuments.EmailWithPdf(Letterhead), "bus.eml");

        foreach (var expected in new[] { "From:", "Transportation Office", "To:", "Subject:", "Bus file for the committee", "Date:", "rides bus 14" })
        {
            Assert.Contains(expected, read.Text.Text, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("Content-Type", read.Text.Text, StringComparison.OrdinalIgnoreCase);
        var child = Assert.Single(read.Rendition.Children);
        Assert.Equal("memo.pdf", child.FileName);
        var attachment = await DocumentPipeline.ReadAsync(child.Content, child.FileName);
        Assert.Contains(Detect(attachment.Text.Text), s => s.Contains(TestDocuments.StudentId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnEmailsRemoteImages_AreNeverFetched_AndScriptsDoNotSurvive()
    {
        var message = new MimeKit.MimeMessage();
        message.From.Add(new MimeKit.MailboxAddress("A", "a@example.org"));
        message.Subject = "Tracking pixel";
        message.Body = new MimeKit.TextPart("html") { Text = "<p>Hello <img src=\"http://203.0.113.9/pixel.png\"> there<script>document.write('INJECTED')</script></p>" };
        using var stream = new MemoryStream();
        message.WriteTo(stream);

        var read = await DocumentPipeline.ReadAsync(stream.ToArray(), "pixel.eml");

        Assert.Contains("Hello", read.Text.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("INJECTED", read.Text.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("truncated.pdf", "damaged")]
    [InlineData("bundle.zip", "Archives are not opened")]
    [InlineData("tool.exe", "cannot be shown as pages")]
    [InlineData("broken.docx", "LibreOffice could not open the document")]
    public async Task AFileThatCannotBePages_FailsWithAReasonInWords(string fileName, string reason)
    {
        var content = fileName switch
        {
            "truncated.pdf" => Letterhead[..(Letterhead.Length / 3)],
            "broken.docx" => "PK\u0003\u0004 not really a zip"u8.ToArray(),
            _ => "MZ binary"u8.ToArray(),
        };

        var failure = await Assert.ThrowsAsync<ConversionFailedException>(() => DocumentPipeline.ReadAsync(content, fileName));

        Assert.Contains(reason, failure.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// A parent's letter in Spanish, scanned: read first in English, it reads as Spanish and is read again in Spanish, so
    /// its accents are right for search, and its cues still lead detection to the date of birth and the student number.
    /// </summary>
    [Fact]
    public async Task AScannedLetterInSpanish_IsReadInSpanish_AndItsIdentifiersAreFound()
    {
        var letter = TestDocuments.LetterPdf(
            "Estimada directora:",
            "Le escribo sobre mi hija, que es alumna de la escuela desde el año pasado.",
            "La niña nació el 14 de marzo de 2012 en Holyoke.",
            "Su número de estudiante es 2024-55817. Por favor, envíe la información",
            "a la oficina de la escuela antes de la reunión de padres del 12 de mayo.",
            "Muchas gracias por su atención y por la ayuda con este pedido.");

        var read = await DocumentPipeline.ReadAsync(TestDocuments.ScannedPdf(letter), "carta.pdf");

        Assert.Equal(PageTextSource.Ocr, read.Pages[0].TextSource);
        var words = read.Pages[0].Words.Select(w => w.Text.Trim('.', ',', ':')).ToList();
        Assert.Contains("reunión", words);
        Assert.Contains("información", words);
        var found = Detect(read.Text.Text);
        Assert.Contains("14 de marzo de 2012", found);
        Assert.Contains("2024-55817", found);
    }

    /// <summary>
    /// On a blurred scan tesseract reads "asher.43@comcast.net" as three words and "617-555-0142" as two, the pieces all
    /// but touching (as measured on the benchmark's scans); detection must see the address and the number whole, while a
    /// sentence that ends close to the next one stays two words.
    /// </summary>
    [Fact]
    public void PiecesOcrSplitAtPunctuation_AreOneWordAgain_ButSentencesStayApart()
    {
        string[] tsv =
        [
            "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext",
            "5\t1\t1\t1\t1\t1\t100\t100\t150\t40\t91\tcontact",
            "5\t1\t1\t1\t1\t2\t262\t100\t110\t40\t88\tasher.",
            "5\t1\t1\t1\t1\t3\t376\t100\t240\t40\t80\t43@comcast.",
            "5\t1\t1\t1\t1\t4\t619\t100\t60\t40\t90\tnet",
            "5\t1\t1\t1\t1\t5\t694\t100\t80\t40\t90\tor",
            "5\t1\t1\t1\t1\t6\t786\t100\t80\t40\t92\t617-",
            "5\t1\t1\t1\t1\t7\t869\t100\t170\t40\t85\t555-0142",
            "5\t1\t1\t1\t2\t1\t100\t160\t150\t40\t93\tappeal.",
            "5\t1\t1\t1\t2\t2\t254\t160\t90\t40\t93\tThe",
        ];

        var words = PageReader.ParseTesseract(tsv, 72.0 / 300);

        Assert.Equal(["contact", "asher.43@comcast.net", "or", "617-555-0142", "appeal.", "The"], words.Select(w => w.Text));
        var address = words[1];
        Assert.Equal(262 * 72.0 / 300, address.X, 3);
        Assert.Equal((679 - 262) * 72.0 / 300, address.Width, 3);
        Assert.Equal(80, address.Confidence);
        var text = PagedText.Build([DocumentPage.Create(Guid.Empty, 1, 612, 792, "", false, PageTextSource.Ocr, words)]).Text;
        Assert.Contains("asher.43@comcast.net", Detect(text));
        Assert.Contains("617-555-0142", Detect(text));
    }

    private static List<string> Detect(string text) =>
        new PiiDetector(Roster.Load(TestDocuments.RosterPath), new RedactionOptions()).Detect(text).Suggestions.Select(s => text[s.Start..s.End]).ToList();
}
