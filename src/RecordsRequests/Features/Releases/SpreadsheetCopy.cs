using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace RecordsRequests.Features.Releases;

/// <summary>
/// An XLSX without what its reader could not see: hidden and very hidden sheets go with their parts; the cells of
/// hidden rows and columns (hidden, filtered out, or sized to zero) and values formatted to show nothing (";;;") are
/// deleted with the pictures and shapes that hide with them, the rows and columns themselves
/// staying hidden and empty so the layout and every other reference stay put; notes, threaded comments, embedded
/// objects, controls, external links, shared-workbook history, personal views and names that reach removed content
/// go too. The shared string table is rebuilt from the cells that remain, since it otherwise keeps the text of every
/// removed cell. A workbook with pivot caches, slicers, timelines or data connections is refused: those hold their
/// own copies of source data that may include the hidden rows.
/// </summary>
internal static class SpreadsheetCopy
{
    private const string ExcelMain2006 = "http://schemas.microsoft.com/office/excel/2006/main";

    public static byte[] Clean(byte[] original, List<string> removed)
    {
        using var stream = new MemoryStream();
        stream.Write(original);
        using (var document = SpreadsheetDocument.Open(stream, true))
        {
            if (document.DocumentType != SpreadsheetDocumentType.Workbook)
            {
                throw new NativeCopyRefusedException("The file is a macro-enabled workbook, a template or an add-in, not a plain workbook.");
            }
            var book = document.WorkbookPart ?? throw new NativeCopyRefusedException("The file has no workbook.");
            RefuseCopiesOfSourceData(book);
            var workbook = book.Workbook;
            var sheetList = workbook.Sheets?.Elements<Sheet>().ToList() ?? [];

            // Hidden sheets, with everything that hangs from them.
            var newIndex = new Dictionary<int, int>();
            var removedSheets = 0;
            for (var i = 0; i < sheetList.Count; i++)
            {
                var sheet = sheetList[i];
                if (sheet.State?.Value == SheetStateValues.Hidden || sheet.State?.Value == SheetStateValues.VeryHidden)
                {
                    if (sheet.Id?.Value is { } id)
                    {
                        book.DeletePart(id);
                    }
                    sheet.Remove();
                    removedSheets++;
                }
                else
                {
                    newIndex[i] = newIndex.Count;
                }
            }
            if (newIndex.Count == 0)
            {
                throw new NativeCopyRefusedException("Every sheet of the workbook is hidden.");
            }
            if (removedSheets > 0)
            {
                removed.Add($"{removedSheets} hidden sheet{(removedSheets == 1 ? "" : "s")}");
            }

            var sheets = KeptSheets(book);
            foreach (var sheet in sheets.Where(s => s.Part is WorksheetPart))
            {
                SpellOutReferences(((WorksheetPart)sheet.Part).Worksheet.GetFirstChild<SheetData>());
            }
            var invisible = InvisibleFormats.Of(book);
            var masks = sheets.ToDictionary(s => s.Name, s => MaskOf(s.Part, invisible), StringComparer.OrdinalIgnoreCase);
            var anythingRemoved = removedSheets > 0 || masks.Values.Any(m => !m.IsEmpty);
            var sharedGroups = SharedFormulaGroups(sheets, masks);

            var names = RemoveNames(workbook, newIndex, masks, anythingRemoved, removed);
            var references = new SpreadsheetReferences(masks, names, anythingRemoved);
            RefuseChartsOfRemovedData(sheets, references);

            var cells = 0;
            var drawings = 0;
            var formulas = 0;
            foreach (var sheet in sheets)
            {
                if (sheet.Part is not WorksheetPart part)
                {
                    continue;
                }
                var mask = masks[sheet.Name];
                var worksheet = part.Worksheet;
                cells += RemoveHiddenCells(worksheet, mask);
                drawings += RemoveDrawingsInHiddenCells(part, mask);
                formulas += FreezeFormulas(worksheet, sheet.Name, references, sharedGroups);
                RemoveDependentsOfRemoved(part, sheet.Name, mask, references);
                RemoveCommentsAndObjects(part, removed);
                worksheet.RemoveAllChildren<CustomSheetViews>();
                worksheet.RemoveAllChildren<Scenarios>();
            }
            if (cells > 0)
            {
                removed.Add($"the contents of hidden rows and columns, and values formatted to show nothing ({cells} cells)");
            }
            if (drawings > 0)
            {
                removed.Add($"{drawings} picture{(drawings == 1 ? "" : "s")} or shape{(drawings == 1 ? "" : "s")} inside hidden rows or columns");
            }
            if (formulas > 0)
            {
                removed.Add($"{formulas} formula{(formulas == 1 ? "" : "s")} that reached removed content (replaced by the value they showed)");
            }

            if (book.ExternalWorkbookParts.Any())
            {
                book.DeleteParts(book.ExternalWorkbookParts.ToList());
                workbook.RemoveAllChildren<ExternalReferences>();
                removed.Add("links to other workbooks");
            }
            if (book.WorkbookPersonParts.Any())
            {
                book.DeleteParts(book.WorkbookPersonParts.ToList());
            }
            if (book.WorkbookRevisionHeaderPart is not null || book.WorkbookUserDataPart is not null)
            {
                if (book.WorkbookRevisionHeaderPart is { } history)
                {
                    book.DeletePart(history);
                }
                if (book.WorkbookUserDataPart is { } users)
                {
                    book.DeletePart(users);
                }
                removed.Add("the shared-workbook change history");
            }
            if (book.CalculationChainPart is { } chain)
            {
                book.DeletePart(chain); // Excel rebuilds it; it lists cells that are gone
            }
            if (workbook.FileSharing is not null || workbook.GetFirstChild<CustomWorkbookViews>() is not null)
            {
                removed.Add("personal views and the reservation user name");
            }
            // Excel records the folder the workbook was last saved in, user name included (x15ac:absPath).
            foreach (var path in workbook.Descendants().Where(e => e.LocalName == "absPath").ToList())
            {
                NativeCopy.RemoveWithAlternateContent(path);
                removed.Add("the folder the workbook was saved in");
            }
            workbook.FileSharing = null;
            workbook.RemoveAllChildren<CustomWorkbookViews>();
            foreach (var view in workbook.BookViews?.Elements<WorkbookView>() ?? [])
            {
                view.ActiveTab = Remap(view.ActiveTab?.Value, newIndex);
                view.FirstSheet = Remap(view.FirstSheet?.Value, newIndex);
            }
            RebuildSharedStrings(book);
            NativeCopy.CleanPackage(document, removed);
        }
        return stream.ToArray();
    }

    private sealed record KeptSheet(string Name, OpenXmlPart Part);

    private static List<KeptSheet> KeptSheets(WorkbookPart book) =>
        book.Workbook.Sheets?.Elements<Sheet>().Where(s => s.Id?.Value is not null && s.Name?.Value is not null)
            .Select(s => new KeptSheet(s.Name!.Value!, book.GetPartById(s.Id!.Value!))).ToList() ?? [];

    private static void RefuseCopiesOfSourceData(WorkbookPart book)
    {
        if (book.PivotTableCacheDefinitionParts.Any())
        {
            throw new NativeCopyRefusedException("The workbook has pivot tables, whose caches keep a copy of their source data (hidden rows included); only the PDF is released.");
        }
        if (book.SlicerCacheParts.Any() || book.TimeLineCacheParts.Any())
        {
            throw new NativeCopyRefusedException("The workbook has slicers or timelines, whose caches keep copies of data; only the PDF is released.");
        }
        if (book.ConnectionsPart is not null)
        {
            throw new NativeCopyRefusedException("The workbook connects to external data (connection details and query results are kept in the file); only the PDF is released.");
        }
        if (book.MacroSheetParts.Any() || book.DialogsheetParts.Any() || book.VbaProjectPart is not null)
        {
            throw new NativeCopyRefusedException("The workbook contains macros or macro sheets; only the PDF is released.");
        }
        foreach (var part in book.WorksheetParts)
        {
            if (part.Worksheet.SheetFormatProperties?.ZeroHeight?.Value == true)
            {
                throw new NativeCopyRefusedException("A sheet hides every row by default (zero-height rows), which this copy cannot tell apart reliably; only the PDF is released.");
            }
        }
    }

    private static SheetMask MaskOf(OpenXmlPart part, InvisibleFormats invisible)
    {
        if (part is not WorksheetPart worksheet)
        {
            return new SheetMask([], [], []);
        }
        var data = worksheet.Worksheet.GetFirstChild<SheetData>();
        var rows = data?.Elements<Row>()
            .Where(row => row.Hidden?.Value == true || row.CustomHeight?.Value == true && row.Height?.Value == 0)
            .Select(row => row.RowIndex?.Value ?? 0) ?? [];
        var columns = worksheet.Worksheet.Elements<Columns>().SelectMany(c => c.Elements<Column>())
            .Where(c => c.Hidden?.Value == true || c.Width?.Value == 0)
            .Where(c => c.Min?.Value is not null && c.Max?.Value is not null)
            .Select(c => (c.Min!.Value, c.Max!.Value));
        var cells = data?.Descendants<Cell>().Where(invisible.HidesValueOf)
            .Select(c => SpreadsheetReferences.Cell(c.CellReference?.Value ?? ""))
            .OfType<(uint Row, uint Column)>() ?? [];
        return new SheetMask(rows.Where(r => r > 0), columns, cells);
    }

    /// <summary>
    /// Number formats whose sections are all empty (";;;" hides everything, ";;" numbers only): a common way to keep
    /// a value in a cell that neither the screen nor the printout shows.
    /// </summary>
    private sealed class InvisibleFormats
    {
        private readonly Dictionary<uint, bool> hidesTextByStyle = [];

        public static InvisibleFormats Of(WorkbookPart book)
        {
            var result = new InvisibleFormats();
            var stylesheet = book.WorkbookStylesPart?.Stylesheet;
            var codes = stylesheet?.NumberingFormats?.Elements<NumberingFormat>()
                .Where(f => f.NumberFormatId?.Value is not null && f.FormatCode?.Value is not null)
                .GroupBy(f => f.NumberFormatId!.Value).ToDictionary(g => g.Key, g => g.First().FormatCode!.Value!) ?? [];
            var index = 0u;
            foreach (var format in stylesheet?.CellFormats?.Elements<CellFormat>() ?? [])
            {
                if (format.NumberFormatId?.Value is { } id && codes.TryGetValue(id, out var code))
                {
                    var sections = code.Split(';');
                    if (sections.Length >= 3 && sections.All(string.IsNullOrWhiteSpace))
                    {
                        result.hidesTextByStyle[index] = sections.Length >= 4;
                    }
                }
                index++;
            }
            return result;
        }

        public bool HidesValueOf(Cell cell)
        {
            if (cell.CellValue is null && cell.InlineString is null || !hidesTextByStyle.TryGetValue(cell.StyleIndex?.Value ?? 0, out var hidesText))
            {
                return false;
            }
            var isText = cell.DataType?.Value is { } type && (type == CellValues.SharedString || type == CellValues.InlineString || type == CellValues.String);
            return !isText || hidesText;
        }
    }

    /// <summary>Rows and cells may leave their position implicit; once cells are removed it would shift, so write it out.</summary>
    private static void SpellOutReferences(SheetData? data)
    {
        if (data is null)
        {
            return;
        }
        uint rowIndex = 0;
        foreach (var row in data.Elements<Row>())
        {
            rowIndex = row.RowIndex?.Value ?? rowIndex + 1;
            row.RowIndex = rowIndex;
            uint column = 0;
            foreach (var cell in row.Elements<Cell>())
            {
                column = cell.CellReference?.Value is { } reference && SpreadsheetReferences.Cell(reference) is { } position ? position.Column : column + 1;
                cell.CellReference = SpreadsheetReferences.ColumnLetters(column) + rowIndex;
            }
        }
    }

    /// <summary>
    /// Shared formulas keep their text on the first cell of the group only; the others copy it shifted. A group whose
    /// first cell is removed, or whose text reaches removed content anywhere it is copied to, becomes values throughout.
    /// Read before any cell is removed, since the first cell may be in a hidden row.
    /// </summary>
    private static Dictionary<(string Sheet, uint Index), string> SharedFormulaGroups(List<KeptSheet> sheets, Dictionary<string, SheetMask> masks)
    {
        var groups = new Dictionary<(string, uint), string>();
        foreach (var sheet in sheets)
        {
            if (sheet.Part is not WorksheetPart part)
            {
                continue;
            }
            foreach (var cell in part.Worksheet.Descendants<Cell>())
            {
                var formula = cell.CellFormula;
                if (formula?.FormulaType?.Value == CellFormulaValues.Shared && formula.SharedIndex?.Value is { } index && !string.IsNullOrEmpty(formula.Text)
                    && SpreadsheetReferences.Cell(cell.CellReference!.Value!) is { } position)
                {
                    var area = formula.Reference?.Value is { } reference ? SpreadsheetReferences.Area(reference) : null;
                    var (rows, columns) = area is { } a ? (a.Row2 - a.Row1, a.Column2 - a.Column1) : (0u, 0u);
                    // The group's cells and the text's reach are checked later against the final names; keep what is needed.
                    groups[(sheet.Name, index)] = masks[sheet.Name].Contains(position.Row, position.Column) ? "" : $"{rows}|{columns}|{formula.Text}";
                }
            }
        }
        return groups;
    }

    /// <summary>Names on removed sheets, names that reach removed content (repeated, since names refer to names) and hidden user names.</summary>
    private static HashSet<string> RemoveNames(Workbook workbook, Dictionary<int, int> newIndex, Dictionary<string, SheetMask> masks, bool anythingRemoved, List<string> removed)
    {
        var gone = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var all = workbook.DefinedNames?.Elements<DefinedName>().ToList() ?? [];
        var sheetNames = workbook.Sheets?.Elements<Sheet>().Select(s => s.Name?.Value).ToList() ?? [];
        var hiddenUserNames = 0;
        var changed = true;
        while (changed)
        {
            changed = false;
            var references = new SpreadsheetReferences(masks, gone, anythingRemoved);
            foreach (var name in all.Where(n => n.Parent is not null))
            {
                var local = name.LocalSheetId?.Value;
                var host = local is { } old && newIndex.TryGetValue((int)old, out var kept) ? sheetNames[kept] : null;
                var hiddenUserName = name.Hidden?.Value == true && name.Name?.Value?.StartsWith("_xlnm.", StringComparison.Ordinal) != true;
                if (local is { } index && !newIndex.ContainsKey((int)index) || hiddenUserName || references.ReachesRemoved(name.Text ?? "", host))
                {
                    hiddenUserNames += hiddenUserName ? 1 : 0;
                    name.Remove();
                    // A sheet-level name that goes does not make a workbook-level name of the same spelling unsafe,
                    // but formulas cannot be told apart reliably, so both are treated as gone.
                    gone.Add(name.Name?.Value ?? "");
                    changed = true;
                }
            }
        }
        foreach (var name in all.Where(n => n.Parent is not null))
        {
            if (name.LocalSheetId?.Value is { } index)
            {
                name.LocalSheetId = (uint)newIndex[(int)index];
            }
        }
        if (workbook.DefinedNames is { } list && !list.HasChildren)
        {
            list.Remove();
        }
        if (gone.Count > 0)
        {
            removed.Add($"{gone.Count} defined name{(gone.Count == 1 ? "" : "s")} pointing at removed content{(hiddenUserNames > 0 ? " or hidden" : "")}");
        }
        gone.Remove("");
        return gone;
    }

    /// <summary>A chart keeps a cache of the values it plots; if it plots removed cells, the cache would carry them out.</summary>
    private static void RefuseChartsOfRemovedData(List<KeptSheet> sheets, SpreadsheetReferences references)
    {
        if (!references.AnythingRemoved)
        {
            return;
        }
        foreach (var sheet in sheets)
        {
            var charts = sheet.Part switch
            {
                WorksheetPart w => w.DrawingsPart?.ChartParts ?? [],
                ChartsheetPart c => c.DrawingsPart?.ChartParts ?? [],
                _ => [],
            };
            foreach (var chart in charts)
            {
                var formulas = chart.ChartSpace.Descendants<DocumentFormat.OpenXml.Drawing.Charts.Formula>().Select(f => f.Text);
                if (formulas.Any(f => references.ReachesRemoved(f, sheet.Name)))
                {
                    throw new NativeCopyRefusedException($"A chart on sheet \"{sheet.Name}\" plots cells that are hidden; its cached values would carry them into the copy, so only the PDF is released.");
                }
            }
        }
    }

    private static int RemoveHiddenCells(Worksheet worksheet, SheetMask mask)
    {
        if (mask.IsEmpty || worksheet.GetFirstChild<SheetData>() is not { } data)
        {
            return 0;
        }
        var count = 0;
        foreach (var row in data.Elements<Row>())
        {
            var rowHidden = mask.IsRowHidden(row.RowIndex!.Value);
            foreach (var cell in row.Elements<Cell>().ToList())
            {
                if (rowHidden || mask.Contains(row.RowIndex.Value, SpreadsheetReferences.Cell(cell.CellReference!.Value!)!.Value.Column))
                {
                    cell.Remove();
                    count++;
                }
            }
            if (!row.HasChildren)
            {
                row.Spans = null;
            }
        }
        return count;
    }

    /// <summary>
    /// A picture, shape or text box anchored to move and size with its cells disappears with them when every row or
    /// every column it spans is hidden; it goes, with the parts only it used (the picture itself).
    /// </summary>
    private static int RemoveDrawingsInHiddenCells(WorksheetPart part, SheetMask mask)
    {
        if (mask.IsEmpty || part.DrawingsPart?.WorksheetDrawing is not { } drawing)
        {
            return 0;
        }
        var doomed = HiddenAnchors(drawing, mask).ToList();
        var ids = doomed.SelectMany(RelationshipIds).ToHashSet(StringComparer.Ordinal);
        doomed.ForEach(a => a.Remove());
        ids.ExceptWith(drawing.Descendants().SelectMany(RelationshipIds));
        var drawings = part.DrawingsPart;
        foreach (var id in ids)
        {
            if (drawings.Parts.Any(p => p.RelationshipId == id))
            {
                drawings.DeletePart(id);
            }
            else if (drawings.HyperlinkRelationships.FirstOrDefault(r => r.Id == id) is { } link)
            {
                drawings.DeleteReferenceRelationship(link);
            }
        }
        return doomed.Count;
    }

    private static IEnumerable<DocumentFormat.OpenXml.Drawing.Spreadsheet.TwoCellAnchor> HiddenAnchors(DocumentFormat.OpenXml.Drawing.Spreadsheet.WorksheetDrawing drawing, SheetMask mask)
    {
        foreach (var anchor in drawing.Elements<DocumentFormat.OpenXml.Drawing.Spreadsheet.TwoCellAnchor>())
        {
            // Anchors that keep their size ("oneCell") or position ("absolute") stay on screen when their cells are hidden.
            if (anchor.EditAs?.Value is { } editAs && editAs != DocumentFormat.OpenXml.Drawing.Spreadsheet.EditAsValues.TwoCell
                || anchor.FromMarker is not { } from || anchor.ToMarker is not { } to
                || !uint.TryParse(from.RowId?.Text, CultureInfo.InvariantCulture, out var row1) || !uint.TryParse(to.RowId?.Text, CultureInfo.InvariantCulture, out var row2)
                || !uint.TryParse(from.ColumnId?.Text, CultureInfo.InvariantCulture, out var column1) || !uint.TryParse(to.ColumnId?.Text, CultureInfo.InvariantCulture, out var column2))
            {
                continue;
            }
            // Markers count from zero; rows and columns in the sheet from one.
            var rowsHidden = Enumerable.Range((int)row1 + 1, (int)(row2 - row1 + 1)).All(r => mask.IsRowHidden((uint)r));
            var columnsHidden = Enumerable.Range((int)column1 + 1, (int)(column2 - column1 + 1)).All(c => mask.IsColumnHidden((uint)c));
            if (row2 >= row1 && column2 >= column1 && (rowsHidden || columnsHidden))
            {
                yield return anchor;
            }
        }
    }

    private static IEnumerable<string> RelationshipIds(OpenXmlElement element) =>
        element.Descendants().Prepend(element).SelectMany(e => e.GetAttributes())
            .Where(a => a.NamespaceUri == "http://schemas.openxmlformats.org/officeDocument/2006/relationships" && a.Value is not null).Select(a => a.Value!);

    private static int FreezeFormulas(Worksheet worksheet, string sheetName, SpreadsheetReferences references, Dictionary<(string Sheet, uint Index), string> sharedGroups)
    {
        var count = 0;
        var groupVerdicts = new Dictionary<uint, bool>();
        foreach (var cell in worksheet.Descendants<Cell>().Where(c => c.CellFormula is not null).ToList())
        {
            var formula = cell.CellFormula!;
            bool reaches;
            if (formula.FormulaType?.Value == CellFormulaValues.Shared && formula.SharedIndex?.Value is { } index)
            {
                if (!groupVerdicts.TryGetValue(index, out reaches))
                {
                    reaches = !sharedGroups.TryGetValue((sheetName, index), out var group) || group.Length == 0 || GroupReaches(group, sheetName, references);
                    groupVerdicts[index] = reaches;
                }
            }
            else if (formula.FormulaType?.Value == CellFormulaValues.DataTable)
            {
                reaches = references.AnythingRemoved; // what-if tables name their input cells in attributes; keep it simple and safe
            }
            else
            {
                reaches = references.ReachesRemoved(formula.Text ?? "", sheetName);
            }
            if (reaches)
            {
                FreezeToValue(cell);
                count++;
            }
        }
        return count;
    }

    private static bool GroupReaches(string group, string sheetName, SpreadsheetReferences references)
    {
        var parts = group.Split('|', 3);
        return references.ReachesRemoved(parts[2], sheetName, uint.Parse(parts[0], CultureInfo.InvariantCulture), uint.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    /// <summary>The formula goes; the value it last showed stays, as the reader of the original saw it.</summary>
    private static void FreezeToValue(Cell cell)
    {
        cell.CellFormula = null;
        if (cell.DataType?.Value == CellValues.String)
        {
            // "str" means "string computed by a formula"; without its formula the value is written inline.
            var text = cell.CellValue?.Text ?? "";
            cell.CellValue = null;
            cell.DataType = CellValues.InlineString;
            cell.InlineString = new InlineString(new Text(text) { Space = SpaceProcessingModeValues.Preserve });
        }
        else if (cell.CellValue is null)
        {
            cell.DataType = null;
        }
    }

    /// <summary>Hyperlinks on removed cells, validations and conditional formats reaching removed content, and tables across removed columns.</summary>
    private static void RemoveDependentsOfRemoved(WorksheetPart part, string sheetName, SheetMask mask, SpreadsheetReferences references)
    {
        var worksheet = part.Worksheet;
        foreach (var link in worksheet.Descendants<Hyperlink>().ToList())
        {
            if (link.Reference?.Value is { } reference && SpreadsheetReferences.Area(reference) is { } area
                && mask.Intersects(area.Row1, area.Column1, area.Row2, area.Column2))
            {
                if (link.Id?.Value is { } id && part.HyperlinkRelationships.FirstOrDefault(r => r.Id == id) is { } relationship)
                {
                    part.DeleteReferenceRelationship(relationship);
                }
                link.Remove();
            }
        }
        if (worksheet.GetFirstChild<Hyperlinks>() is { HasChildren: false } emptyLinks)
        {
            emptyLinks.Remove();
        }
        foreach (var validation in worksheet.Descendants<DataValidation>().ToList())
        {
            if (new[] { validation.Formula1?.Text, validation.Formula2?.Text }.Any(f => f is not null && references.ReachesRemoved(f, sheetName)))
            {
                validation.Remove();
            }
        }
        foreach (var validations in worksheet.Elements<DataValidations>().ToList())
        {
            validations.Count = (uint)validations.Elements<DataValidation>().Count();
            if (!validations.HasChildren)
            {
                validations.Remove();
            }
        }
        foreach (var format in worksheet.Elements<ConditionalFormatting>().ToList())
        {
            if (format.Descendants<Formula>().Any(f => references.ReachesRemoved(f.Text, sheetName)))
            {
                format.Remove();
            }
        }
        // Excel 2010 extensions keep their own validations and formats with formulas (xm:f).
        foreach (var extension in worksheet.Descendants<WorksheetExtension>().ToList())
        {
            if (extension.Descendants().Any(e => e.LocalName == "f" && e.NamespaceUri == ExcelMain2006 && references.ReachesRemoved(e.InnerText, sheetName)))
            {
                extension.Remove();
            }
        }
        // A table's column names copy its header cells; across a removed column they would keep that header.
        foreach (var table in part.TableDefinitionParts.ToList())
        {
            if (table.Table.Reference?.Value is { } reference && SpreadsheetReferences.Area(reference) is { } area
                && Enumerable.Range((int)area.Column1, (int)(area.Column2 - area.Column1 + 1)).Any(c => mask.IsColumnHidden((uint)c)))
            {
                var id = part.GetIdOfPart(table);
                worksheet.Descendants<TablePart>().Where(t => t.Id == id).ToList().ForEach(t => t.Remove());
                part.DeletePart(table);
            }
        }
        if (worksheet.GetFirstChild<TableParts>() is { } tableParts)
        {
            tableParts.Count = (uint)tableParts.Elements<TablePart>().Count();
            if (!tableParts.HasChildren)
            {
                tableParts.Remove();
            }
        }
    }

    private static void RemoveCommentsAndObjects(WorksheetPart part, List<string> removed)
    {
        var worksheet = part.Worksheet;
        if (part.WorksheetCommentsPart is { } comments)
        {
            part.DeletePart(comments);
            removed.Add("notes (cell comments)");
        }
        if (part.WorksheetThreadedCommentsParts.Any())
        {
            part.DeleteParts(part.WorksheetThreadedCommentsParts.ToList());
            removed.Add("threaded comments");
        }
        // Legacy drawings draw notes, form controls and object previews; a header or footer picture has its own.
        var headerFooterDrawing = worksheet.GetFirstChild<LegacyDrawingHeaderFooter>()?.Id?.Value;
        worksheet.RemoveAllChildren<LegacyDrawing>();
        foreach (var vml in part.VmlDrawingParts.ToList())
        {
            if (part.GetIdOfPart(vml) != headerFooterDrawing)
            {
                part.DeletePart(vml);
            }
        }
        var objects = worksheet.Descendants().Where(e => e is OleObjects or Controls).ToList();
        foreach (var element in objects)
        {
            if (element.Parent is not null)
            {
                NativeCopy.RemoveWithAlternateContent(element);
            }
        }
        if (objects.Count > 0)
        {
            removed.Add("embedded objects and controls on sheets");
        }
    }

    private static uint? Remap(uint? index, Dictionary<int, int> newIndex) =>
        index is null ? null : newIndex.TryGetValue((int)index, out var kept) ? (uint)kept : 0;

    /// <summary>Only strings a remaining cell uses survive; the table otherwise keeps every removed cell's text.</summary>
    private static void RebuildSharedStrings(WorkbookPart book)
    {
        if (book.SharedStringTablePart?.SharedStringTable is not { } table)
        {
            return;
        }
        var items = table.Elements<SharedStringItem>().ToList();
        var kept = new List<SharedStringItem>();
        var map = new Dictionary<int, int>();
        var uses = 0;
        foreach (var part in book.WorksheetParts)
        {
            foreach (var cell in part.Worksheet.Descendants<Cell>().Where(c => c.DataType?.Value == CellValues.SharedString && c.CellValue is not null))
            {
                if (!int.TryParse(cell.CellValue!.Text, out var old) || old < 0 || old >= items.Count)
                {
                    continue;
                }
                if (!map.TryGetValue(old, out var index))
                {
                    index = kept.Count;
                    map[old] = index;
                    kept.Add((SharedStringItem)items[old].CloneNode(true));
                }
                cell.CellValue = new CellValue(index);
                uses++;
            }
        }
        table.RemoveAllChildren();
        table.Append(kept);
        table.Count = (uint)uses;
        table.UniqueCount = (uint)kept.Count;
    }

    public static IEnumerable<string> Verify(SpreadsheetDocument document)
    {
        var book = document.WorkbookPart;
        if (book?.Workbook?.Sheets is not { } sheetList || !sheetList.Elements<Sheet>().Any())
        {
            yield return "the workbook has no sheets";
            yield break;
        }
        if (sheetList.Elements<Sheet>().Any(s => s.State?.Value == SheetStateValues.Hidden || s.State?.Value == SheetStateValues.VeryHidden))
        {
            yield return "a hidden sheet remains";
        }
        if (book.ExternalWorkbookParts.Any() || book.PivotTableCacheDefinitionParts.Any() || book.WorkbookPersonParts.Any()
            || book.CalculationChainPart is not null || book.WorkbookRevisionHeaderPart is not null || book.ConnectionsPart is not null)
        {
            yield return "external links, pivot caches, comment authors, change history or connections remain";
        }
        if (book.Workbook.Descendants().Any(e => e.LocalName == "absPath"))
        {
            yield return "the workbook still records the folder it was saved in";
        }
        var sheets = KeptSheets(book);
        var invisible = InvisibleFormats.Of(book);
        var masks = sheets.ToDictionary(s => s.Name, s => MaskOf(s.Part, invisible), StringComparer.OrdinalIgnoreCase);
        var references = new SpreadsheetReferences(masks, new HashSet<string>(), masks.Values.Any(m => !m.IsEmpty));
        foreach (var sheet in sheets)
        {
            if (sheet.Part is not WorksheetPart part)
            {
                continue;
            }
            var mask = masks[sheet.Name];
            var cells = part.Worksheet.Descendants<Cell>().ToList();
            if (cells.Any(c => SpreadsheetReferences.Cell(c.CellReference?.Value ?? "") is not { } p || mask.Contains(p.Row, p.Column)))
            {
                yield return $"sheet \"{sheet.Name}\" still has cells in hidden rows or columns, or values in a format that shows nothing";
            }
            if (part.DrawingsPart?.WorksheetDrawing is { } drawing && HiddenAnchors(drawing, mask).Any())
            {
                yield return $"sheet \"{sheet.Name}\" still has a picture or shape inside hidden rows or columns";
            }
            if (part.WorksheetCommentsPart is not null || part.WorksheetThreadedCommentsParts.Any() || part.Worksheet.Descendants().Any(e => e is OleObjects or Controls or LegacyDrawing))
            {
                yield return $"sheet \"{sheet.Name}\" still has notes, comments, objects or controls";
            }
            var masters = cells.Select(c => c.CellFormula).OfType<CellFormula>()
                .Where(f => f.FormulaType?.Value == CellFormulaValues.Shared && f.SharedIndex?.Value is not null && !string.IsNullOrEmpty(f.Text))
                .GroupBy(f => f.SharedIndex!.Value).ToDictionary(g => g.Key, g => g.First());
            foreach (var cellFormula in cells.Select(c => c.CellFormula).OfType<CellFormula>())
            {
                var formula = cellFormula;
                var text = formula.Text;
                var (rows, columns) = (0u, 0u);
                if (formula.FormulaType?.Value == CellFormulaValues.Shared && string.IsNullOrEmpty(text))
                {
                    if (formula.SharedIndex?.Value is not { } index || !masters.TryGetValue(index, out var master))
                    {
                        yield return $"sheet \"{sheet.Name}\" has a shared formula whose first cell is gone";
                        continue;
                    }
                    text = master.Text;
                    formula = master;
                }
                if (formula.FormulaType?.Value == CellFormulaValues.Shared && formula.Reference?.Value is { } reference && SpreadsheetReferences.Area(reference) is { } area)
                {
                    (rows, columns) = (area.Row2 - area.Row1, area.Column2 - area.Column1);
                }
                if (references.ReachesRemoved(text ?? "", sheet.Name, rows, columns))
                {
                    yield return $"sheet \"{sheet.Name}\" has a formula that reaches hidden or missing content: {text}";
                    break;
                }
            }
        }
        foreach (var name in book.Workbook.DefinedNames?.Elements<DefinedName>() ?? [])
        {
            if (references.ReachesRemoved(name.Text ?? "", null) || name.Hidden?.Value == true && name.Name?.Value?.StartsWith("_xlnm.", StringComparison.Ordinal) != true)
            {
                yield return $"defined name {name.Name} reaches hidden or missing content, or is hidden";
            }
        }
        if (book.SharedStringTablePart?.SharedStringTable is { } table)
        {
            var used = book.WorksheetParts.SelectMany(p => p.Worksheet.Descendants<Cell>())
                .Where(c => c.DataType?.Value == CellValues.SharedString && c.CellValue is not null).Select(c => c.CellValue!.Text).ToHashSet();
            if (table.Elements<SharedStringItem>().Count() != used.Count)
            {
                yield return "the shared string table holds strings no cell uses";
            }
        }
    }
}
