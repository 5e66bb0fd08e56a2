using System.Diagnostics;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using RecordsRequests.Features.Releases;

namespace RecordsRequests.IntegrationTests.Releases;

/// <summary>
/// Real Office files built with the OpenXml SDK, each hiding a planted secret in every place a reader of the printed
/// record would not see it; and the two readers that judge a copy: every part of the ZIP, and LibreOffice.
/// </summary>
internal static class OfficeFiles
{
    private const string Namespaces =
        """xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" """;

    /// <summary>Secrets every format plants in its document properties and embedded object.</summary>
    public static readonly string[] PackageSecrets = ["Rosemary Authorname", "Basil Titletext", "Fennel Companyname", "Oregano Customprop", "Thyme Thumbnail", "Clove Oleobject", "Vanilla Customxml"];

    public static readonly string[] WordSecrets =
    [
        "Marigold Deletedname", "Secret Reviewer", "Juniper Commentauthor", "Saffron Commenttext", "Periwinkle Hiddentext", "Tamarind Stylehidden",
        "qtemplateowner", "Cardamom Docvar", "Nutmeg Glossary", "Quince Deletedrow", "Pimento Movedfrom",
        "Allspice Exifowner", "Nigella Jpegcomment", "Mahlab Trailer", "Sassafras Pngtext", "Chicory Firstpageheader", "Wormwood Hiddenshape", .. PackageSecrets,
    ];

    public static readonly string[] SpreadsheetSecrets =
    [
        "Lemongrass Hiddenrow", "Anise Hiddencolumn", "314159", "Sorrel Hiddensheet", "Sorrelsheet", "Chervil Veryhidden", "Chervilsheet",
        "Tarragon Noteauthor", "Caraway Notetext", "Ginger Hiddenname", "271828", "Borage Formathidden", "Yarrow Hiddenbox", "wxanthousername", .. PackageSecrets,
    ];

    public static readonly string[] PresentationSecrets =
    [
        "Sumac Hiddenslide", "Mace Speakernotes", "Hyssop Hiddenshape", "Galangal Slidecomment", "Lovage Commentauthor", .. PackageSecrets,
    ];

    public static byte[] Docx()
    {
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = document.AddMainDocumentPart();
            Feed(main, $$"""
                <w:document {{Namespaces}}><w:body>
                <w:p><w:r><w:t>Visible memo about the bus schedule.</w:t></w:r></w:p>
                <w:p><w:r><w:t xml:space="preserve">Revised wording: </w:t></w:r><w:del w:id="1" w:author="Secret Reviewer" w:date="2026-01-05T10:00:00Z"><w:r><w:delText xml:space="preserve">Marigold Deletedname </w:delText></w:r></w:del><w:ins w:id="2" w:author="Secret Reviewer" w:date="2026-01-05T10:00:00Z"><w:r><w:t>the approved route.</w:t></w:r></w:ins></w:p>
                <w:p><w:pPr><w:rPr><w:del w:id="3" w:author="Secret Reviewer" w:date="2026-01-05T10:00:00Z"/></w:rPr></w:pPr><w:r><w:t xml:space="preserve">First half </w:t></w:r></w:p>
                <w:p><w:r><w:t>and second half.</w:t></w:r></w:p>
                <w:p><w:commentRangeStart w:id="0"/><w:r><w:t>Commented sentence.</w:t></w:r><w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r></w:p>
                <w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t xml:space="preserve">Periwinkle Hiddentext </w:t></w:r><w:r><w:t>Shown after hidden.</w:t></w:r></w:p>
                <w:p><w:r><w:rPr><w:rStyle w:val="Secretive"/></w:rPr><w:t>Tamarind Stylehidden</w:t></w:r></w:p>
                <w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid><w:gridCol w:w="4000"/></w:tblGrid>
                <w:tr><w:tc><w:p><w:r><w:t>Route table kept row</w:t></w:r></w:p></w:tc></w:tr>
                <w:tr><w:trPr><w:del w:id="4" w:author="Secret Reviewer" w:date="2026-01-05T10:00:00Z"/></w:trPr><w:tc><w:p><w:del w:id="5" w:author="Secret Reviewer" w:date="2026-01-05T10:00:00Z"><w:r><w:delText>Quince Deletedrow</w:delText></w:r></w:del></w:p></w:tc></w:tr>
                </w:tbl>
                <w:p><w:moveFrom w:id="6" w:author="Secret Reviewer" w:date="2026-01-05T10:00:00Z"><w:r><w:t>Pimento Movedfrom</w:t></w:r></w:moveFrom><w:r><w:t xml:space="preserve">Stays put. </w:t></w:r><w:moveTo w:id="7" w:author="Secret Reviewer" w:date="2026-01-05T10:00:00Z"><w:r><w:t>Moved here.</w:t></w:r></w:moveTo></w:p>
                <w:p><w:r><w:t xml:space="preserve">Before the shape. </w:t></w:r><w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="914400" cy="300000"/><wp:docPr id="5" name="Text Box 5" hidden="1"/><a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="914400" cy="300000"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></wps:spPr><wps:txbx><w:txbxContent><w:p><w:r><w:t>Wormwood Hiddenshape</w:t></w:r></w:p></w:txbxContent></wps:txbx><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>
                <w:p><w:r><w:object><v:shape id="_x0000_i1025" type="#_x0000_t75" style="width:40pt;height:40pt"/><o:OLEObject Type="Embed" ProgID="Package" ShapeID="_x0000_i1025" DrawAspect="Icon" ObjectID="_1001" r:id="rIdOle"/></w:object></w:r></w:p>
                <w:sectPr><w:headerReference w:type="default" r:id="rIdHeader"/><w:headerReference w:type="first" r:id="rIdFirstHeader"/><w:pgSz w:w="12240" w:h="15840"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="720" w:footer="720" w:gutter="0"/></w:sectPr>
                </w:body></w:document>
                """);
            Feed(main.AddNewPart<StyleDefinitionsPart>(), $"""<w:styles {Namespaces}><w:style w:type="character" w:styleId="Secretive"><w:name w:val="Secretive"/><w:rPr><w:vanish/></w:rPr></w:style></w:styles>""");
            Feed(main.AddNewPart<WordprocessingCommentsPart>(),
                $"""<w:comments {Namespaces}><w:comment w:id="0" w:author="Juniper Commentauthor" w:initials="JC"><w:p><w:r><w:t>Saffron Commenttext</w:t></w:r></w:p></w:comment></w:comments>""");
            Feed(main.AddNewPart<HeaderPart>("rIdHeader"), $"""<w:hdr {Namespaces}><w:p><w:r><w:t>Westfield Public Schools letterhead</w:t></w:r></w:p></w:hdr>""");
            // No "different first page" anywhere: this header is never printed.
            Feed(main.AddNewPart<HeaderPart>("rIdFirstHeader"), $"""<w:hdr {Namespaces}><w:p><w:r><w:t>Chicory Firstpageheader</w:t></w:r></w:p></w:hdr>""");
            var settings = main.AddNewPart<DocumentSettingsPart>();
            settings.AddExternalRelationship("http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate",
                new Uri("file:///C:/Users/qtemplateowner/Normal.dotm"), "rIdTemplate");
            Feed(settings, $"""<w:settings {Namespaces}><w:attachedTemplate r:id="rIdTemplate"/><w:docVars><w:docVar w:name="case" w:val="Cardamom Docvar"/></w:docVars></w:settings>""");
            Feed(main.AddNewPart<GlossaryDocumentPart>(),
                $"""<w:glossaryDocument {Namespaces}><w:docParts><w:docPart><w:docPartPr><w:name w:val="Saved"/></w:docPartPr><w:docPartBody><w:p><w:r><w:t>Nutmeg Glossary</w:t></w:r></w:p></w:docPartBody></w:docPart></w:docParts></w:glossaryDocument>""");
            Feed(main.AddCustomXmlPart(CustomXmlPartType.CustomXml), "<data>Vanilla Customxml</data>");
            FeedBytes(main.AddNewPart<EmbeddedObjectPart>("application/vnd.openxmlformats-officedocument.oleObject", "rIdOle"), Encoding.Unicode.GetBytes("OLE payload: Clove Oleobject"));
            FeedBytes(main.AddImagePart(ImagePartType.Jpeg), Photo);
            FeedBytes(main.AddImagePart(ImagePartType.Png), Screenshot);
            PlantProperties(document);
        }
        return stream.ToArray();
    }

    /// <summary>A JPEG's structure (JFIF, EXIF, comment, scan, end) with a camera owner, a comment and bytes appended after its end.</summary>
    public static readonly byte[] Photo =
    [
        0xFF, 0xD8,
        0xFF, 0xE0, 0x00, 0x10, .. "JFIF\0"u8, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
        0xFF, 0xE1, .. Length("Exif\0\0Artist: Allspice Exifowner"u8),
        0xFF, 0xFE, .. Length("Nigella Jpegcomment"u8),
        0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00, 0x12, 0x34, 0xFF, 0x00, 0x56,
        0xFF, 0xD9, .. "Mahlab Trailer"u8,
    ];

    /// <summary>A PNG's chunks (header, text, data, end); checksums are not what is under test.</summary>
    public static readonly byte[] Screenshot =
    [
        0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A,
        .. Chunk("IHDR", [0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]),
        .. Chunk("tEXt", "Author\0Sassafras Pngtext"u8.ToArray()),
        .. Chunk("IDAT", [0x78, 0x9C, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01]),
        .. Chunk("IEND", []),
    ];

    private static byte[] Length(ReadOnlySpan<byte> payload) => [(byte)((payload.Length + 2) >> 8), (byte)(payload.Length + 2), .. payload];

    private static byte[] Chunk(string name, byte[] data) =>
        [(byte)(data.Length >> 24), (byte)(data.Length >> 16), (byte)(data.Length >> 8), (byte)data.Length, .. Encoding.ASCII.GetBytes(name), .. data, 0, 0, 0, 0];

    public static byte[] Xlsx()
    {
        const string Main = """xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" """;
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var book = document.AddWorkbookPart();
            Feed(book, $$"""
                <workbook {{Main}} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:x15ac="http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac" mc:Ignorable="x15ac">
                <mc:AlternateContent><mc:Choice Requires="x15"><x15ac:absPath url="C:\Users\wxanthousername\Documents\"/></mc:Choice></mc:AlternateContent>
                <bookViews><workbookView activeTab="0"/></bookViews>
                <sheets><sheet name="Budget" sheetId="1" r:id="rIdS1"/><sheet name="Sorrelsheet" sheetId="2" state="hidden" r:id="rIdS2"/><sheet name="Chervilsheet" sheetId="3" state="veryHidden" r:id="rIdS3"/></sheets>
                <definedNames><definedName name="BudgetTop">Budget!$A$1:$B$2</definedName><definedName name="Ginger" hidden="1">"Ginger Hiddenname"</definedName><definedName name="HiddenStuff">Sorrelsheet!$A$1:$A$2</definedName></definedNames>
                </workbook>
                """);
            Feed(book.AddNewPart<SharedStringTablePart>(), $"""
                <sst {Main} count="7" uniqueCount="7"><si><t>Quarterly budget</t></si><si><t>Lemongrass Hiddenrow</t></si><si><t>Anise Hiddencolumn</t></si><si><t>Sorrel Hiddensheet</t></si><si><t>Chervil Veryhidden</t></si><si><t>Transport</t></si><si><t>Borage Formathidden</t></si></sst>
                """);
            Feed(book.AddNewPart<WorkbookStylesPart>(), $"""
                <styleSheet {Main}><numFmts count="1"><numFmt numFmtId="164" formatCode=";;;"/></numFmts><fonts count="1"><font><sz val="11"/><name val="Liberation Sans"/></font></fonts>
                <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
                <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
                <cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>
                """);
            var budget = book.AddNewPart<WorksheetPart>("rIdS1");
            Feed(budget, $$"""
                <worksheet {{Main}}><cols><col min="1" max="1" width="30" customWidth="1"/><col min="3" max="3" width="0" hidden="1" customWidth="1"/></cols>
                <sheetData>
                <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>10</v></c><c r="C1" t="s"><v>2</v></c><c r="D1"><v>7</v></c><c r="I1" s="1"><v>271828</v></c><c r="I2" s="1" t="s"><v>6</v></c></row>
                <row r="2"><c r="A2" t="s"><v>5</v></c><c r="B2"><v>20</v></c><c r="C2"><v>314159</v></c></row>
                <row r="3" hidden="1"><c r="A3" t="s"><v>1</v></c><c r="B3"><v>69</v></c></row>
                <row r="5"><c r="B5"><f>SUM(B1:B2)</f><v>30</v></c><c r="D5"><f>Sorrelsheet!A2</f><v>42</v></c><c r="E5"><f>SUM(B1:B3)</f><v>99</v></c><c r="F5" t="str"><f>"shown text"&amp;LEFT(Chervilsheet!A1,0)</f><v>shown text</v></c><c r="G5"><f>SUM(BudgetTop)</f><v>30</v></c><c r="H5"><f>SUM(HiddenStuff)</f><v>42</v></c></row>
                </sheetData>
                <drawing r:id="rIdDrawing"/>
                <oleObjects><oleObject progId="Package" shapeId="1025" r:id="rIdOle"/></oleObjects>
                </worksheet>
                """);
            Feed(budget.AddNewPart<WorksheetCommentsPart>(), $"""
                <comments {Main}><authors><author>Tarragon Noteauthor</author></authors><commentList><comment ref="A1" authorId="0"><text><r><t>Caraway Notetext</t></r></text></comment></commentList></comments>
                """);
            Feed(budget.AddNewPart<DrawingsPart>("rIdDrawing"), $"""
                <xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">
                {TextBoxAnchor(2, 2, "Yarrow Hiddenbox")}{TextBoxAnchor(6, 8, "Visible note box")}
                </xdr:wsDr>
                """);
            FeedBytes(budget.AddNewPart<EmbeddedObjectPart>("application/vnd.openxmlformats-officedocument.oleObject", "rIdOle"), Encoding.Unicode.GetBytes("OLE payload: Clove Oleobject"));
            Feed(book.AddNewPart<WorksheetPart>("rIdS2"), $"""<worksheet {Main}><sheetData><row r="1"><c r="A1" t="s"><v>3</v></c></row><row r="2"><c r="A2"><v>42</v></c></row></sheetData></worksheet>""");
            Feed(book.AddNewPart<WorksheetPart>("rIdS3"), $"""<worksheet {Main}><sheetData><row r="1"><c r="A1" t="s"><v>4</v></c></row></sheetData></worksheet>""");
            Feed(book.AddCustomXmlPart(CustomXmlPartType.CustomXml), "<data>Vanilla Customxml</data>");
            PlantProperties(document);
        }
        return stream.ToArray();
    }

    /// <summary>A text box that moves and sizes with its cells, from one row to another (counted from zero), over columns A to B.</summary>
    private static string TextBoxAnchor(int fromRow, int toRow, string text) => $"""
        <xdr:twoCellAnchor><xdr:from><xdr:col>0</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{fromRow}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>1</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{toRow}</xdr:row><xdr:rowOff>100000</xdr:rowOff></xdr:to>
        <xdr:sp macro="" textlink=""><xdr:nvSpPr><xdr:cNvPr id="{fromRow + 2}" name="Box {fromRow}"/><xdr:cNvSpPr txBox="1"/></xdr:nvSpPr><xdr:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="914400" cy="300000"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr>
        <xdr:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:t>{text}</a:t></a:r></a:p></xdr:txBody></xdr:sp><xdr:clientData/></xdr:twoCellAnchor>
        """;

    /// <summary>A one-sheet workbook ("Data") around the given worksheet body, for what the full workbook does not show.</summary>
    public static byte[] Workbook(string worksheetBody, Action<WorkbookPart, WorksheetPart>? more = null)
    {
        const string Main = """xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" """;
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var book = document.AddWorkbookPart();
            Feed(book, $"""<workbook {Main}><sheets><sheet name="Data" sheetId="1" r:id="rIdS1"/></sheets></workbook>""");
            var sheet = book.AddNewPart<WorksheetPart>("rIdS1");
            Feed(sheet, $"""<worksheet {Main}>{worksheetBody}</worksheet>""");
            more?.Invoke(book, sheet);
        }
        return stream.ToArray();
    }

    public static void FeedXml(OpenXmlPart part, string xml) => Feed(part, xml);

    public static byte[] Pptx()
    {
        const string Group = """<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>""";
        const string ColourMap = """bg1="lt1" tx1="dk1" bg2="lt2" tx2="dk2" accent1="accent1" accent2="accent2" accent3="accent3" accent4="accent4" accent5="accent5" accent6="accent6" hlink="hlink" folHlink="folHlink" """;
        static string TextBox(int id, string name, string text, string extra = "", int y = 457200) => $"""
            <p:sp><p:nvSpPr><p:cNvPr id="{id}" name="{name}"{extra}/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr><p:spPr><a:xfrm><a:off x="457200" y="{y}"/><a:ext cx="8000000" cy="900000"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr><p:txBody><a:bodyPr/><a:lstStyle/>{text}</p:txBody></p:sp>
            """;
        using var stream = new MemoryStream();
        using (var document = PresentationDocument.Create(stream, PresentationDocumentType.Presentation))
        {
            var main = document.AddPresentationPart();
            Feed(main, $"""
                <p:presentation {Namespaces}><p:sldMasterIdLst><p:sldMasterId id="2147483648" r:id="rIdMaster"/></p:sldMasterIdLst><p:notesMasterIdLst><p:notesMasterId r:id="rIdNotesMaster"/></p:notesMasterIdLst>
                <p:sldIdLst><p:sldId id="256" r:id="rIdSlide1"/><p:sldId id="257" r:id="rIdSlide2"/></p:sldIdLst><p:sldSz cx="9144000" cy="6858000"/><p:notesSz cx="6858000" cy="9144000"/></p:presentation>
                """);
            var master = main.AddNewPart<SlideMasterPart>("rIdMaster");
            Feed(master, $"""<p:sldMaster {Namespaces}><p:cSld><p:spTree>{Group}</p:spTree></p:cSld><p:clrMap {ColourMap}/><p:sldLayoutIdLst><p:sldLayoutId id="2147483649" r:id="rIdLayout"/></p:sldLayoutIdLst></p:sldMaster>""");
            var layout = master.AddNewPart<SlideLayoutPart>("rIdLayout");
            Feed(layout, $"""<p:sldLayout {Namespaces}><p:cSld><p:spTree>{Group}</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>""");
            layout.AddPart(master);
            var theme = master.AddNewPart<ThemePart>();
            Feed(theme, Theme);
            main.AddPart(theme);
            var notesMaster = main.AddNewPart<NotesMasterPart>("rIdNotesMaster");
            Feed(notesMaster, $"""<p:notesMaster {Namespaces}><p:cSld><p:spTree>{Group}</p:spTree></p:cSld><p:clrMap {ColourMap}/></p:notesMaster>""");
            notesMaster.AddPart(theme);

            var hiddenSlide = main.AddNewPart<SlidePart>("rIdSlide2");
            Feed(hiddenSlide, $"""<p:sld {Namespaces} show="0"><p:cSld><p:spTree>{Group}{TextBox(2, "Appendix", "<a:p><a:r><a:t>Sumac Hiddenslide</a:t></a:r></a:p>")}</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>""");
            hiddenSlide.AddPart(layout);

            var slide = main.AddNewPart<SlidePart>("rIdSlide1");
            Feed(slide, $$"""
                <p:sld {{Namespaces}}><p:cSld><p:spTree>{{Group}}
                {{TextBox(2, "Title", """<a:p><a:r><a:rPr lang="en-US"/><a:t>Visible slide about bus routes</a:t></a:r></a:p><a:p><a:r><a:rPr lang="en-US"><a:hlinkClick r:id="rIdJump" action="ppaction://hlinksldjump"/></a:rPr><a:t>See the appendix</a:t></a:r></a:p>""")}}
                {{TextBox(3, "Aside", "<a:p><a:r><a:t>Hyssop Hiddenshape</a:t></a:r></a:p>", " hidden=\"1\"", 2000000)}}
                <p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="4" name="Object 1"/><p:cNvGraphicFramePr/><p:nvPr/></p:nvGraphicFramePr><p:xfrm><a:off x="457200" y="4000000"/><a:ext cx="1000000" cy="1000000"/></p:xfrm><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/presentationml/2006/ole"><p:oleObj spid="_x0000_s1025" name="Packager Shell Object" r:id="rIdOle" progId="Package"><p:embed/></p:oleObj></a:graphicData></a:graphic></p:graphicFrame>
                </p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>
                """);
            slide.AddPart(layout);
            slide.AddPart(hiddenSlide, "rIdJump");
            FeedBytes(slide.AddNewPart<EmbeddedObjectPart>("application/vnd.openxmlformats-officedocument.oleObject", "rIdOle"), Encoding.Unicode.GetBytes("OLE payload: Clove Oleobject"));
            var notes = slide.AddNewPart<NotesSlidePart>();
            Feed(notes, $"""
                <p:notes {Namespaces}><p:cSld><p:spTree>{Group}<p:sp><p:nvSpPr><p:cNvPr id="2" name="Notes"/><p:cNvSpPr/><p:nvPr><p:ph type="body" idx="1"/></p:nvPr></p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:t>Mace Speakernotes</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:notes>
                """);
            notes.AddPart(notesMaster);
            notes.AddPart(slide);
            Feed(slide.AddNewPart<SlideCommentsPart>(), $"""<p:cmLst {Namespaces}><p:cm authorId="0" dt="2026-01-05T10:00:00.000" idx="1"><p:pos x="10" y="10"/><p:text>Galangal Slidecomment</p:text></p:cm></p:cmLst>""");
            Feed(main.AddNewPart<CommentAuthorsPart>(), $"""<p:cmAuthorLst {Namespaces}><p:cmAuthor id="0" name="Lovage Commentauthor" initials="LC" lastIdx="1" clrIdx="0"/></p:cmAuthorLst>""");
            Feed(main.AddCustomXmlPart(CustomXmlPartType.CustomXml), "<data>Vanilla Customxml</data>");
            PlantProperties(document);
        }
        return stream.ToArray();
    }

    private static void PlantProperties(OpenXmlPackage package)
    {
        package.PackageProperties.Creator = "Rosemary Authorname";
        package.PackageProperties.LastModifiedBy = "Rosemary Authorname";
        package.PackageProperties.Title = "Basil Titletext";
        package.PackageProperties.Created = new DateTime(2026, 1, 5, 10, 0, 0, DateTimeKind.Utc);
        var extended = package switch
        {
            WordprocessingDocument w => w.AddExtendedFilePropertiesPart(),
            SpreadsheetDocument s => s.AddExtendedFilePropertiesPart(),
            PresentationDocument p => p.AddExtendedFilePropertiesPart(),
            _ => throw new ArgumentException("unknown package", nameof(package)),
        };
        Feed(extended, """<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Template>Normal.dotm</Template><Company>Fennel Companyname</Company></Properties>""");
        var custom = package switch
        {
            WordprocessingDocument w => w.AddCustomFilePropertiesPart(),
            SpreadsheetDocument s => s.AddCustomFilePropertiesPart(),
            _ => ((PresentationDocument)package).AddCustomFilePropertiesPart(),
        };
        Feed(custom, """<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Case"><vt:lpwstr>Oregano Customprop</vt:lpwstr></property></Properties>""");
        var thumbnail = package switch
        {
            WordprocessingDocument w => w.AddThumbnailPart(ThumbnailPartType.Jpeg),
            SpreadsheetDocument s => s.AddThumbnailPart(ThumbnailPartType.Jpeg),
            _ => ((PresentationDocument)package).AddThumbnailPart(ThumbnailPartType.Jpeg),
        };
        FeedBytes(thumbnail, Encoding.ASCII.GetBytes("JPEG stand-in with a comment: Thyme Thumbnail"));
    }

    private static void Feed(OpenXmlPart part, string xml) => FeedBytes(part, Encoding.UTF8.GetBytes(xml));

    private static void FeedBytes(OpenXmlPart part, byte[] bytes)
    {
        using var data = new MemoryStream(bytes);
        part.FeedData(data);
    }

    /// <summary>Every place a secret could hide in a package: each entry's bytes (as Latin-1 and UTF-16LE) and its XML text.</summary>
    public static IReadOnlyList<string> PartsContaining(byte[] package, string secret)
    {
        var found = new List<string>();
        foreach (var entry in PackageText.Read(package))
        {
            var readings = new[] { entry.Name, Encoding.Latin1.GetString(entry.Bytes), Encoding.Unicode.GetString(entry.Bytes), entry.Text ?? "", entry.JoinedText ?? "" };
            if (readings.Any(r => r.Contains(secret, StringComparison.OrdinalIgnoreCase)))
            {
                found.Add(entry.Name);
            }
        }
        return found;
    }

    /// <summary>LibreOffice, headless with a profile of its own, converts the file to PDF; pdftotext reads that PDF back.</summary>
    public static string LibreOfficeText(byte[] file, string extension)
    {
        var folder = Directory.CreateTempSubdirectory("native-copy-");
        try
        {
            var input = Path.Combine(folder.FullName, "copy" + extension);
            File.WriteAllBytes(input, file);
            var profile = new Uri(Path.Combine(folder.FullName, "profile")).AbsoluteUri;
            var (code, output) = Run("soffice", [$"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "pdf", "--outdir", folder.FullName, input]);
            var pdf = Path.Combine(folder.FullName, "copy.pdf");
            Assert.True(code == 0 && File.Exists(pdf), $"LibreOffice could not open the copy (exit {code}): {output}");
            var (textCode, text) = Run("pdftotext", ["-layout", pdf, "-"]);
            Assert.Equal(0, textCode);
            return text;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>The file as LibreOffice saves it again in the same format: a writer with its own habits, not our builder's.</summary>
    public static byte[] SavedByLibreOffice(byte[] file, string extension)
    {
        var folder = Directory.CreateTempSubdirectory("native-copy-");
        try
        {
            var input = Path.Combine(folder.FullName, "original" + extension);
            File.WriteAllBytes(input, file);
            var output = Directory.CreateDirectory(Path.Combine(folder.FullName, "saved")).FullName;
            var profile = new Uri(Path.Combine(folder.FullName, "profile")).AbsoluteUri;
            var filter = extension switch
            {
                ".docx" => "docx:MS Word 2007 XML",
                ".xlsx" => "xlsx:Calc MS Excel 2007 XML",
                _ => "pptx:Impress MS PowerPoint 2007 XML",
            };
            var (code, log) = Run("soffice", [$"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", filter, "--outdir", output, input]);
            var saved = Path.Combine(output, "original" + extension);
            Assert.True(code == 0 && File.Exists(saved), $"LibreOffice could not save the file again (exit {code}): {log}");
            return File.ReadAllBytes(saved);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static (int Code, string Output) Run(string tool, string[] arguments)
    {
        var start = new ProcessStartInfo(tool, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start; install LibreOffice and poppler-utils (ops/test does).");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(4)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} did not finish within four minutes.");
        }
        return (process.ExitCode, output.Result + errors.Result);
    }

    private const string Theme = """
        <a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="Plain"><a:themeElements>
        <a:clrScheme name="Plain"><a:dk1><a:srgbClr val="000000"/></a:dk1><a:lt1><a:srgbClr val="FFFFFF"/></a:lt1><a:dk2><a:srgbClr val="1F497D"/></a:dk2><a:lt2><a:srgbClr val="EEECE1"/></a:lt2><a:accent1><a:srgbClr val="4F81BD"/></a:accent1><a:accent2><a:srgbClr val="C0504D"/></a:accent2><a:accent3><a:srgbClr val="9BBB59"/></a:accent3><a:accent4><a:srgbClr val="8064A2"/></a:accent4><a:accent5><a:srgbClr val="4BACC6"/></a:accent5><a:accent6><a:srgbClr val="F79646"/></a:accent6><a:hlink><a:srgbClr val="0000FF"/></a:hlink><a:folHlink><a:srgbClr val="800080"/></a:folHlink></a:clrScheme>
        <a:fontScheme name="Plain"><a:majorFont><a:latin typeface="Liberation Sans"/><a:ea typeface=""/><a:cs typeface=""/></a:majorFont><a:minorFont><a:latin typeface="Liberation Sans"/><a:ea typeface=""/><a:cs typeface=""/></a:minorFont></a:fontScheme>
        <a:fmtScheme name="Plain"><a:fillStyleLst><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:fillStyleLst>
        <a:lnStyleLst><a:ln w="9525"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln><a:ln w="25400"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln><a:ln w="38100"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln></a:lnStyleLst>
        <a:effectStyleLst><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle></a:effectStyleLst>
        <a:bgFillStyleLst><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:bgFillStyleLst></a:fmtScheme>
        </a:themeElements></a:theme>
        """;
}
