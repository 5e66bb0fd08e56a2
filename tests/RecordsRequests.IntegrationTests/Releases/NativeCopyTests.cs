using DocumentFormat.OpenXml.Packaging;
using RecordsRequests.Features.Releases;
using Spreadsheet = DocumentFormat.OpenXml.Spreadsheet;
using Word = DocumentFormat.OpenXml.Wordprocessing;

namespace RecordsRequests.IntegrationTests.Releases;

public sealed class NativeCopyTests
{
    private static void AssertNoSecretSurvives(byte[] copy, IEnumerable<string> secrets)
    {
        var leaks = secrets.Select(s => (Secret: s, Parts: OfficeFiles.PartsContaining(copy, s))).Where(x => x.Parts.Count > 0).ToList();
        Assert.True(leaks.Count == 0, "Hidden content survived: " + string.Join("; ", leaks.Select(l => $"\"{l.Secret}\" in {string.Join(", ", l.Parts)}")));
    }

    private static byte[] Bytes(OpenXmlPart part)
    {
        using var stream = part.GetStream();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static void AssertEverySecretPlanted(byte[] original, IEnumerable<string> secrets)
    {
        // Without this, a secret the builder failed to plant would pass as "removed".
        Assert.All(secrets, s => Assert.NotEmpty(OfficeFiles.PartsContaining(original, s)));
    }

    [Fact]
    public void NativeCopy_Docx_AcceptsChangesAndDropsCommentsHiddenTextObjectsAndProperties()
    {
        var original = OfficeFiles.Docx();
        AssertEverySecretPlanted(original, OfficeFiles.WordSecrets);

        var result = NativeCopy.Make(original, "memo.docx");

        Assert.True(result.Made, result.Refusal);
        Assert.Equal(".docx", result.Extension);
        AssertNoSecretSurvives(result.Copy!, OfficeFiles.WordSecrets);
        Assert.Contains(result.Removed, r => r.StartsWith("tracked changes", StringComparison.Ordinal));
        Assert.Contains("comments", result.Removed);

        using var document = WordprocessingDocument.Open(new MemoryStream(result.Copy!), false);
        var paragraphs = document.MainDocumentPart!.Document.Body!.Elements<Word.Paragraph>().Select(p => p.InnerText).ToList();
        Assert.Contains("Visible memo about the bus schedule.", paragraphs);
        Assert.Contains("Revised wording: the approved route.", paragraphs);
        Assert.Contains("First half and second half.", paragraphs); // the deleted paragraph mark, accepted
        Assert.Contains("Commented sentence.", paragraphs);
        Assert.Contains("Shown after hidden.", paragraphs);
        Assert.Contains("Before the shape. ", paragraphs);
        Assert.Contains("Stays put. Moved here.", paragraphs);
        Assert.Equal(["Route table kept row"], document.MainDocumentPart.Document.Body.Descendants<Word.TableRow>().Select(r => r.InnerText));
        Assert.Equal("Westfield Public Schools letterhead", document.MainDocumentPart.HeaderParts.Single().Header.InnerText);
        // Pictures keep their pixels and colour information; only their metadata went.
        var pictures = document.MainDocumentPart.ImageParts.Select(Bytes).OrderBy(b => b[0]).ToList();
        Assert.Equal(2, pictures.Count);
        Assert.Equal(OfficeFiles.Screenshot.Length - 12 - "Author\0Sassafras Pngtext".Length, pictures[0].Length);
        Assert.Equal([0xFF, 0xD8, 0xFF, 0xE0], pictures[1][..4]);
        Assert.Equal([0x12, 0x34, 0xFF, 0x00, 0x56, 0xFF, 0xD9], pictures[1][^7..]);

        var printed = OfficeFiles.LibreOfficeText(result.Copy!, ".docx");
        Assert.Contains("the approved route", printed, StringComparison.Ordinal);
        Assert.Contains("Westfield Public Schools letterhead", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("Marigold", printed, StringComparison.Ordinal);
    }

    [Fact]
    public void NativeCopy_Xlsx_DropsHiddenSheetsRowsColumnsNotesAndNamesAndFreezesFormulasThatReachedThem()
    {
        var original = OfficeFiles.Xlsx();
        AssertEverySecretPlanted(original, OfficeFiles.SpreadsheetSecrets);

        var result = NativeCopy.Make(original, "budget.xlsx");

        Assert.True(result.Made, result.Refusal);
        AssertNoSecretSurvives(result.Copy!, OfficeFiles.SpreadsheetSecrets);
        Assert.Contains("2 hidden sheets", result.Removed);

        using var document = SpreadsheetDocument.Open(new MemoryStream(result.Copy!), false);
        var book = document.WorkbookPart!;
        Assert.Equal(["Budget"], book.Workbook.Sheets!.Elements<Spreadsheet.Sheet>().Select(s => s.Name!.Value));
        Assert.Equal(["BudgetTop"], book.Workbook.DefinedNames!.Elements<Spreadsheet.DefinedName>().Select(n => n.Name!.Value));
        var cells = book.WorksheetParts.Single().Worksheet.Descendants<Spreadsheet.Cell>().ToDictionary(c => c.CellReference!.Value!);
        Assert.DoesNotContain("A3", cells.Keys); // hidden row: its cells are gone, not unhidden
        Assert.DoesNotContain("C1", cells.Keys); // hidden column
        Assert.DoesNotContain("C2", cells.Keys);
        Assert.DoesNotContain("I1", cells.Keys); // formatted ";;;": in the cell, never on screen or paper
        Assert.DoesNotContain("I2", cells.Keys);
        Assert.Equal("SUM(B1:B2)", cells["B5"].CellFormula?.Text); // reaches only what stays: still a formula
        Assert.Equal("SUM(BudgetTop)", cells["G5"].CellFormula?.Text);
        foreach (var (reference, value) in new[] { ("D5", "42"), ("E5", "99"), ("H5", "42") })
        {
            Assert.Null(cells[reference].CellFormula); // reached a hidden sheet, row or name: the value it showed
            Assert.Equal(value, cells[reference].CellValue!.Text);
        }
        Assert.Equal("shown text", cells["F5"].InlineString!.InnerText);
        var strings = book.SharedStringTablePart!.SharedStringTable.Elements<Spreadsheet.SharedStringItem>().Select(s => s.InnerText).ToList();
        Assert.Equal(["Quarterly budget", "Transport"], strings);
        Assert.Equal(["Visible note box"], book.WorksheetParts.Single().DrawingsPart!.WorksheetDrawing.Descendants<DocumentFormat.OpenXml.Drawing.Text>().Select(t => t.Text));

        var printed = OfficeFiles.LibreOfficeText(result.Copy!, ".xlsx");
        Assert.Contains("Quarterly budget", printed, StringComparison.Ordinal);
        Assert.Contains("shown text", printed, StringComparison.Ordinal);
    }

    [Fact]
    public void NativeCopy_Pptx_DropsHiddenSlidesNotesCommentsHiddenShapesAndObjects()
    {
        var original = OfficeFiles.Pptx();
        AssertEverySecretPlanted(original, OfficeFiles.PresentationSecrets);

        var result = NativeCopy.Make(original, "board.pptx");

        Assert.True(result.Made, result.Refusal);
        AssertNoSecretSurvives(result.Copy!, OfficeFiles.PresentationSecrets);
        Assert.Contains("1 hidden slide", result.Removed);
        Assert.Contains("speaker notes (1 slide)", result.Removed);

        using var document = PresentationDocument.Open(new MemoryStream(result.Copy!), false);
        var slide = document.PresentationPart!.SlideParts.Single();
        Assert.Contains("Visible slide about bus routes", slide.Slide.InnerText, StringComparison.Ordinal);
        Assert.Contains("See the appendix", slide.Slide.InnerText, StringComparison.Ordinal); // the link to the hidden slide goes, its words stay

        var printed = OfficeFiles.LibreOfficeText(result.Copy!, ".pptx");
        Assert.Contains("Visible slide about bus routes", printed, StringComparison.Ordinal);
    }

    [Fact]
    public void NativeCopy_SharedFormulas_BecomeValuesWhenTheirFirstCellWasHiddenAndStayFormulasOtherwise()
    {
        // Excel stores a filled-down formula once, on the group's first cell; the others only name the group.
        var workbook = OfficeFiles.Workbook("""
            <sheetData>
            <row r="1"><c r="A1"><v>1</v></c><c r="D1"><f t="shared" ref="D1:E1" si="1">A1+1</f><v>2</v></c><c r="E1"><f t="shared" si="1"/><v>1</v></c></row>
            <row r="2" hidden="1"><c r="A2"><v>2</v></c><c r="B2"><f t="shared" ref="B2:B4" si="0">A2*2</f><v>4</v></c></row>
            <row r="3"><c r="A3"><v>3</v></c><c r="B3"><f t="shared" si="0"/><v>6</v></c></row>
            <row r="4"><c r="A4"><v>4</v></c><c r="B4"><f t="shared" si="0"/><v>8</v></c></row>
            </sheetData>
            """);

        var result = NativeCopy.Make(workbook, "fill.xlsx");

        Assert.True(result.Made, result.Refusal);
        using var document = SpreadsheetDocument.Open(new MemoryStream(result.Copy!), false);
        var cells = document.WorkbookPart!.WorksheetParts.Single().Worksheet.Descendants<Spreadsheet.Cell>().ToDictionary(c => c.CellReference!.Value!);
        Assert.False(cells.ContainsKey("B2"));
        Assert.Null(cells["B3"].CellFormula);
        Assert.Equal("6", cells["B3"].CellValue!.Text);
        Assert.Null(cells["B4"].CellFormula);
        Assert.Equal("A1+1", cells["D1"].CellFormula!.Text);
        Assert.Equal(1u, cells["E1"].CellFormula!.SharedIndex!.Value);
    }

    [Fact]
    public void NativeCopy_WorkbooksThatKeepCopiesOfHiddenData_AreRefused()
    {
        const string Body = """<sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="2" hidden="1"><c r="A2"><v>314159</v></c></row></sheetData>""";
        var pivot = OfficeFiles.Workbook(Body, (book, _) => OfficeFiles.FeedXml(book.AddNewPart<PivotTableCacheDefinitionPart>(),
            """<pivotCacheDefinition xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" refreshOnLoad="1"><cacheSource type="worksheet"><worksheetSource ref="A1:A2" sheet="Data"/></cacheSource><cacheFields count="0"/></pivotCacheDefinition>"""));
        var chart = OfficeFiles.Workbook(Body + """<drawing r:id="rIdDrawing"/>""", (_, sheet) =>
        {
            var drawing = sheet.AddNewPart<DrawingsPart>("rIdDrawing");
            OfficeFiles.FeedXml(drawing, """<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"/>""");
            OfficeFiles.FeedXml(drawing.AddNewPart<ChartPart>(), """
                <c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"><c:chart><c:plotArea><c:layout/><c:barChart><c:barDir val="col"/><c:grouping val="clustered"/>
                <c:ser><c:idx val="0"/><c:order val="0"/><c:val><c:numRef><c:f>Data!$A$1:$A$2</c:f><c:numCache><c:ptCount val="2"/><c:pt idx="0"><c:v>1</c:v></c:pt><c:pt idx="1"><c:v>314159</c:v></c:pt></c:numCache></c:numRef></c:val></c:ser>
                <c:axId val="1"/><c:axId val="2"/></c:barChart></c:plotArea></c:chart></c:chartSpace>
                """);
        });

        Assert.Contains("pivot tables", NativeCopy.Make(pivot, "pivot.xlsx").Refusal, StringComparison.Ordinal);
        Assert.Contains("A chart on sheet \"Data\" plots cells that are hidden", NativeCopy.Make(chart, "chart.xlsx").Refusal, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(".docx")]
    [InlineData(".xlsx")]
    [InlineData(".pptx")]
    public void NativeCopy_FileSavedByLibreOffice_IsCleanedToo(string extension)
    {
        var (built, secrets) = extension switch
        {
            ".docx" => (OfficeFiles.Docx(), OfficeFiles.WordSecrets),
            ".xlsx" => (OfficeFiles.Xlsx(), OfficeFiles.SpreadsheetSecrets),
            _ => (OfficeFiles.Pptx(), OfficeFiles.PresentationSecrets),
        };
        var saved = OfficeFiles.SavedByLibreOffice(built, extension);
        // LibreOffice writes a hidden defined name and a hidden Word shape back as ordinary, visible ones, and re-anchors
        // a text box from a hidden row to the next visible one: in its files these are not hidden any more.
        var kept = secrets.Where(s => s is not ("Ginger Hiddenname" or "Yarrow Hiddenbox" or "Wormwood Hiddenshape") && OfficeFiles.PartsContaining(saved, s).Count > 0).ToList();
        Assert.True(kept.Count >= 3, $"LibreOffice kept too few of the planted secrets to test anything: {string.Join(", ", kept)}");

        var result = NativeCopy.Make(saved, "saved" + extension);

        Assert.True(result.Made, result.Refusal);
        AssertNoSecretSurvives(result.Copy!, kept);
    }

    [Fact]
    public void NativeCopy_ItsOwnCheck_NamesWhatTheOriginalsStillHide()
    {
        // The check run on every copy must be able to fail: on the uncleaned files it names each kind of hidden content.
        var word = string.Join("\n", NativeCopy.Verify(OfficeFiles.Docx(), OfficeFiles.Docx(), ".docx"));
        Assert.Contains("document properties remain", word, StringComparison.Ordinal);
        Assert.Contains("ExtendedFilePropertiesPart remains", word, StringComparison.Ordinal);
        Assert.Contains("EmbeddedObjectPart remains", word, StringComparison.Ordinal);
        Assert.Contains("comments remain", word, StringComparison.Ordinal);
        Assert.Contains("the glossary remains", word, StringComparison.Ordinal);
        Assert.Contains("w:del", word, StringComparison.Ordinal);
        Assert.Contains("still has hidden text", word, StringComparison.Ordinal);
        Assert.Contains("the settings still name a template", word, StringComparison.Ordinal);
        Assert.Contains("still carries metadata", word, StringComparison.Ordinal);
        Assert.Contains("a header or footer the layout never prints remains", word, StringComparison.Ordinal);
        Assert.Contains("still has a hidden shape or picture", word, StringComparison.Ordinal);

        var sheets = string.Join("\n", NativeCopy.Verify(OfficeFiles.Xlsx(), OfficeFiles.Xlsx(), ".xlsx"));
        Assert.Contains("a hidden sheet remains", sheets, StringComparison.Ordinal);
        Assert.Contains("still has cells in hidden rows or columns", sheets, StringComparison.Ordinal);
        Assert.Contains("still has notes, comments, objects or controls", sheets, StringComparison.Ordinal);
        Assert.Contains("has a formula that reaches hidden or missing content", sheets, StringComparison.Ordinal);
        Assert.Contains("still has a picture or shape inside hidden rows or columns", sheets, StringComparison.Ordinal);
        Assert.Contains("defined name Ginger", sheets, StringComparison.Ordinal);
        Assert.Contains("the workbook still records the folder it was saved in", sheets, StringComparison.Ordinal);

        var slides = string.Join("\n", NativeCopy.Verify(OfficeFiles.Pptx(), OfficeFiles.Pptx(), ".pptx"));
        Assert.Contains("a hidden slide remains", slides, StringComparison.Ordinal);
        Assert.Contains("speaker notes or comments remain", slides, StringComparison.Ordinal);
        Assert.Contains("still has an embedded object, a control or a hidden shape", slides, StringComparison.Ordinal);
    }

    [Fact]
    public void NativeCopy_FormatsItCannotClean_AreRefusedWithAReasonAndPlainTextIsCopiedAsIs()
    {
        var csv = "name,grade\nBus 4,on time\n"u8.ToArray();
        var copied = NativeCopy.Make(csv, "routes.csv");
        Assert.True(copied.Made);
        Assert.Equal(csv, copied.Copy);

        foreach (var name in new[] { "scan.pdf", "photo.jpg", "old.doc", "old.xls", "minutes.odt", "macros.docm", "macros.xlsm" })
        {
            var refused = NativeCopy.Make("%PDF-1.7 not really"u8.ToArray(), name);
            Assert.False(refused.Made, name);
            Assert.Null(refused.Copy);
            Assert.False(string.IsNullOrWhiteSpace(refused.Refusal), name);
        }

        // An encrypted Office file is a compound file, not a ZIP; a damaged one is a ZIP that will not open.
        var encrypted = NativeCopy.Make([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0], "locked.xlsx");
        Assert.Contains("password-protected", encrypted.Refusal, StringComparison.Ordinal);
        var damaged = NativeCopy.Make([.. OfficeFiles.Docx().Take(400)], "cut.docx");
        Assert.False(damaged.Made);
        Assert.Contains("damaged", damaged.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void LeakGate_ReadsInsideOfficePackages_FindsSecretsInTheOriginalAndNoneInTheCopy()
    {
        var original = OfficeFiles.Docx();
        var secrets = new[] { new RedactedSecret("Saffron Commenttext", "comment"), new RedactedSecret("Marigold Deletedname", "deletion"), new RedactedSecret("Clove Oleobject", "object") };

        var hits = LeakScanner.Scan("memo.docx", original, secrets);

        Assert.Contains(hits, h => h.Label == "comment" && h.Where == "part word/comments.xml text");
        Assert.Contains(hits, h => h.Label == "deletion" && h.Where == "part word/document.xml text");
        Assert.Contains(hits, h => h.Label == "object" && h.Where.EndsWith("as UTF-16LE", StringComparison.Ordinal));
        Assert.Empty(LeakScanner.Scan("memo.docx", NativeCopy.Make(original, "memo.docx").Copy!, secrets));
    }

    [Fact]
    public void LeakGate_NameSplitAcrossWordRuns_IsStillFound()
    {
        var docx = NativeCopy.Make(OfficeFiles.Docx(), "memo.docx").Copy!;
        using (var stream = new MemoryStream())
        {
            stream.Write(docx);
            using (var document = WordprocessingDocument.Open(stream, true))
            {
                // Word splits a word into runs whenever formatting or editing sessions change inside it.
                document.MainDocumentPart!.Document.Body!.PrependChild(new Word.Paragraph(
                    new Word.Run(new Word.Text("Maya Oka")), new Word.Run(new Word.RunProperties(new Word.Bold()), new Word.Text("for"))));
            }
            docx = stream.ToArray();
        }

        var hits = LeakScanner.Scan("memo.docx", docx, [new RedactedSecret("Maya Okafor", "StudentName")]);

        Assert.Contains(hits, h => h.Where == "part word/document.xml text (runs joined)");
    }
}
