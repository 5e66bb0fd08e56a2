using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace RecordsRequests.Features.Releases;

/// <summary>
/// A DOCX as it reads: tracked changes accepted (insertions kept, deletions gone from the file, not just from the
/// view), comments and their anchors removed, hidden text and hidden shapes removed, embedded objects and controls removed, and the
/// glossary, attached template, document variables, mail-merge source and custom XML bindings dropped. Headers,
/// footers, footnotes and endnotes stay: they are printed; first-page and even-page headers the layout never uses go.
/// </summary>
internal static class WordCopy
{
    private const string W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

    /// <summary>Revision records of formatting: accepting a change keeps the new formatting and drops the record of the old.</summary>
    private static readonly HashSet<string> FormattingChanges = new(StringComparer.Ordinal)
    {
        "rPrChange", "pPrChange", "sectPrChange", "tblPrChange", "tblPrExChange", "trPrChange", "tcPrChange", "tblGridChange", "numberingChange",
    };

    /// <summary>Markers with no content of their own that only bound a move or a custom XML revision.</summary>
    private static readonly HashSet<string> RevisionMarkers = new(StringComparer.Ordinal)
    {
        "moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd", "customXmlInsRangeStart", "customXmlInsRangeEnd",
        "customXmlDelRangeStart", "customXmlDelRangeEnd", "customXmlMoveFromRangeStart", "customXmlMoveFromRangeEnd",
        "customXmlMoveToRangeStart", "customXmlMoveToRangeEnd", "cellIns", "cellMerge",
    };

    private static readonly HashSet<string> CommentAnchors = new(StringComparer.Ordinal) { "commentRangeStart", "commentRangeEnd", "commentReference" };

    public static byte[] Clean(byte[] original, List<string> removed)
    {
        using var stream = new MemoryStream();
        stream.Write(original);
        using (var document = WordprocessingDocument.Open(stream, true))
        {
            if (document.DocumentType != WordprocessingDocumentType.Document)
            {
                throw new NativeCopyRefusedException("The file is a macro-enabled document or a template, not a plain Word document.");
            }
            var main = document.MainDocumentPart ?? throw new NativeCopyRefusedException("The file has no document body.");
            RemoveUnusedHeadersAndFooters(main, removed);
            var styles = HiddenStyles.From(main.StyleDefinitionsPart?.Styles);
            var counts = new Counts();
            foreach (var part in StoryParts(main))
            {
                var root = part.RootElement!;
                AcceptRevisions(root, counts);
                counts.CommentAnchors += RemoveAll(root, e => IsW(e) && CommentAnchors.Contains(e.LocalName));
                RemoveHiddenText(root, styles, counts);
                RemoveEmbeddedObjects(root, counts);
                RemoveHiddenDrawings(root, counts);
                // Content controls bound to custom XML would refill themselves from data the copy no longer has.
                RemoveAll(root, e => IsW(e) && e.LocalName == "dataBinding");
            }
            foreach (var part in new OpenXmlPart?[] { main.StyleDefinitionsPart, main.NumberingDefinitionsPart })
            {
                if (part?.RootElement is { } root)
                {
                    counts.Revisions += RemoveAll(root, e => IsW(e) && FormattingChanges.Contains(e.LocalName));
                }
            }
            Report(counts, removed);

            var commentParts = new OpenXmlPart?[] { main.WordprocessingCommentsPart, main.WordprocessingCommentsExPart, main.WordprocessingCommentsIdsPart,
                main.WordCommentsExtensiblePart, main.WordprocessingPeoplePart };
            if (commentParts.Any(p => p is not null) && counts.CommentAnchors == 0)
            {
                removed.Add("comments");
            }
            foreach (var part in commentParts.OfType<OpenXmlPart>())
            {
                main.DeletePart(part);
            }
            if (main.GlossaryDocumentPart is { } glossary)
            {
                main.DeletePart(glossary);
                removed.Add("the glossary (building blocks and AutoText saved in the file)");
            }
            foreach (var alternativeFormat in main.AlternativeFormatImportParts.ToList())
            {
                main.DeletePart(alternativeFormat);
            }
            CleanSettings(main, removed);
            NativeCopy.CleanPackage(document, removed);
        }
        return stream.ToArray();
    }

    /// <summary>The parts whose text is the document: body, headers, footers, footnotes, endnotes.</summary>
    private static IEnumerable<OpenXmlPart> StoryParts(MainDocumentPart main)
    {
        yield return main;
        foreach (var header in main.HeaderParts)
        {
            yield return header;
        }
        foreach (var footer in main.FooterParts)
        {
            yield return footer;
        }
        if (main.FootnotesPart is { } footnotes)
        {
            yield return footnotes;
        }
        if (main.EndnotesPart is { } endnotes)
        {
            yield return endnotes;
        }
    }

    private static bool IsW(OpenXmlElement element) => element.NamespaceUri == W;

    /// <summary>
    /// A first-page header is printed only in a section marked "different first page", an even-page one only when
    /// the document has "different odd and even pages"; otherwise they travel in the file unseen. Sections inherit
    /// headers from the one before, so a first-page header counts as used if any section has a different first page.
    /// </summary>
    private static IEnumerable<HeaderFooterReferenceType> UnusedHeaderAndFooterReferences(MainDocumentPart main)
    {
        var sections = main.Document?.Descendants<SectionProperties>().ToList() ?? [];
        var firstPageUsed = sections.Any(s => s.GetFirstChild<TitlePage>() is { } title && (title.Val?.Value ?? true));
        var evenPagesUsed = main.DocumentSettingsPart?.Settings?.GetFirstChild<EvenAndOddHeaders>() is { } even && (even.Val?.Value ?? true);
        return sections.SelectMany(s => s.Elements<HeaderFooterReferenceType>())
            .Where(r => r.Type?.Value == HeaderFooterValues.First && !firstPageUsed || r.Type?.Value == HeaderFooterValues.Even && !evenPagesUsed);
    }

    private static void RemoveUnusedHeadersAndFooters(MainDocumentPart main, List<string> removed)
    {
        var unused = UnusedHeaderAndFooterReferences(main).ToList();
        unused.ForEach(r => r.Remove());
        var referenced = main.Document?.Descendants<HeaderFooterReferenceType>().Select(r => r.Id?.Value).ToHashSet() ?? [];
        var parts = main.HeaderParts.Cast<OpenXmlPart>().Concat(main.FooterParts).Where(p => !referenced.Contains(main.GetIdOfPart(p))).ToList();
        foreach (var part in parts)
        {
            main.DeletePart(part);
        }
        if (parts.Count > 0)
        {
            removed.Add($"{parts.Count} header{(parts.Count == 1 ? "" : "s")} or footer{(parts.Count == 1 ? "" : "s")} never printed (first-page or even-page ones the layout does not use)");
        }
    }

    private static int RemoveAll(OpenXmlElement root, Func<OpenXmlElement, bool> match)
    {
        var doomed = root.Descendants().Where(match).ToList();
        foreach (var element in doomed)
        {
            element.Remove();
        }
        return doomed.Count;
    }

    private static void AcceptRevisions(OpenXmlElement root, Counts counts)
    {
        var deletedMarks = new List<Paragraph>();
        foreach (var element in root.Descendants().Where(e => IsW(e) && e.LocalName is "ins" or "del" or "moveFrom" or "moveTo").ToList())
        {
            counts.Revisions++;
            var parent = element.Parent;
            var deleted = element.LocalName is "del" or "moveFrom";
            if (parent is ParagraphMarkRunProperties && parent.Parent?.Parent is Paragraph paragraph)
            {
                // A deleted paragraph mark joins this paragraph to the next one once accepted.
                if (deleted)
                {
                    deletedMarks.Add(paragraph);
                }
                element.Remove();
            }
            else if (parent is TableRowProperties && deleted)
            {
                parent.Parent?.Remove();
            }
            else if (parent is RunProperties or TableRowProperties or null || parent.LocalName == "rPr")
            {
                element.Remove(); // a marker on a run or row that stays
            }
            else if (deleted)
            {
                element.Remove(); // the deleted text itself: it must not survive in the file
            }
            else
            {
                Unwrap(element);
            }
        }
        foreach (var paragraph in deletedMarks)
        {
            if (paragraph.Parent is not null && paragraph.NextSibling() is Paragraph next)
            {
                var content = paragraph.ChildElements.Where(c => c is not ParagraphProperties).ToList();
                OpenXmlElement? anchor = next.ParagraphProperties;
                foreach (var child in content)
                {
                    child.Remove();
                    if (anchor is null)
                    {
                        next.PrependChild(child);
                    }
                    else
                    {
                        anchor.InsertAfterSelf(child);
                    }
                    anchor = child;
                }
                paragraph.Remove();
            }
        }
        foreach (var cell in root.Descendants().Where(e => IsW(e) && e.LocalName == "cellDel").Select(e => e.Parent?.Parent).OfType<TableCell>().ToList())
        {
            counts.Revisions++;
            cell.Remove();
        }
        counts.Revisions += RemoveAll(root, e => IsW(e) && (FormattingChanges.Contains(e.LocalName) || RevisionMarkers.Contains(e.LocalName)));
        // Stray deleted text outside a deletion would still be read by anyone unzipping the file.
        counts.Revisions += RemoveAll(root, e => IsW(e) && e.LocalName is "delText" or "delInstrText");
    }

    private static void Unwrap(OpenXmlElement element)
    {
        foreach (var child in element.ChildElements.ToList())
        {
            child.Remove();
            element.InsertBeforeSelf(child);
        }
        element.Remove();
    }

    private static void RemoveHiddenText(OpenXmlElement root, HiddenStyles styles, Counts counts)
    {
        foreach (var run in root.Descendants<Run>().ToList())
        {
            if (!styles.IsHidden(run))
            {
                continue;
            }
            // A hidden run can hold a field's begin, separator or end; keep those so the field stays well formed.
            var content = run.ChildElements.Where(c => c is not RunProperties and not FieldChar).ToList();
            if (content.Count == 0)
            {
                continue;
            }
            counts.HiddenRuns++;
            if (run.ChildElements.Any(c => c is FieldChar))
            {
                content.ForEach(c => c.Remove());
            }
            else
            {
                run.Remove();
            }
        }
        // A paragraph that was hidden whole is now empty; drop it unless a cell or the body needs it as its last paragraph.
        foreach (var paragraph in root.Descendants<Paragraph>().ToList())
        {
            if (styles.IsMarkHidden(paragraph) && !paragraph.ChildElements.Any(c => c is not ParagraphProperties and not BookmarkStart and not BookmarkEnd)
                && paragraph.NextSibling() is Paragraph)
            {
                paragraph.Remove();
            }
        }
    }

    private static void RemoveEmbeddedObjects(OpenXmlElement root, Counts counts)
    {
        // w:object holds an OLE object and its preview; w:control an ActiveX control; w:altChunk a whole imported file.
        var doomed = root.Descendants().Where(e => IsW(e) && e.LocalName is "object" or "control" or "altChunk"
            || e is Picture && e.Descendants().Any(d => d.LocalName is "OLEObject" or "control")).ToList();
        foreach (var element in doomed.Where(e => !doomed.Any(other => other != e && e.Ancestors().Contains(other))))
        {
            counts.Objects++;
            NativeCopy.RemoveWithAlternateContent(element);
        }
    }

    /// <summary>A shape or picture hidden in Word's selection pane is neither shown nor printed, but keeps its content.</summary>
    private static void RemoveHiddenDrawings(OpenXmlElement root, Counts counts)
    {
        foreach (var properties in root.Descendants<DocumentFormat.OpenXml.Drawing.Wordprocessing.DocProperties>().Where(p => p.Hidden?.Value == true).ToList())
        {
            if (properties.Ancestors<Drawing>().FirstOrDefault() is { Parent: not null } drawing)
            {
                NativeCopy.RemoveWithAlternateContent(drawing);
                counts.HiddenDrawings++;
            }
        }
    }

    private static void CleanSettings(MainDocumentPart main, List<string> removed)
    {
        if (main.DocumentSettingsPart is not { } part)
        {
            return;
        }
        var settings = part.Settings;
        var found = new List<string>();
        void Drop<T>(string words) where T : OpenXmlElement
        {
            var elements = settings.Elements<T>().ToList();
            elements.ForEach(e => e.Remove());
            if (elements.Count > 0)
            {
                found.Add(words);
            }
        }
        Drop<AttachedTemplate>("the attached template's path");
        Drop<DocumentVariables>("document variables");
        Drop<MailMerge>("the mail-merge data source");
        Drop<TrackRevisions>("the track-changes switch");
        foreach (var external in part.ExternalRelationships.ToList())
        {
            part.DeleteExternalRelationship(external);
        }
        removed.AddRange(found);
    }

    private static void Report(Counts counts, List<string> removed)
    {
        if (counts.Revisions > 0)
        {
            removed.Add($"tracked changes ({counts.Revisions} accepted: insertions kept, deletions removed)");
        }
        if (counts.CommentAnchors > 0)
        {
            removed.Add("comments");
        }
        if (counts.HiddenRuns > 0)
        {
            removed.Add($"hidden text ({counts.HiddenRuns} runs)");
        }
        if (counts.HiddenDrawings > 0)
        {
            removed.Add($"hidden shapes and pictures ({counts.HiddenDrawings})");
        }
        if (counts.Objects > 0)
        {
            removed.Add($"embedded objects and controls ({counts.Objects})");
        }
    }

    public static IEnumerable<string> Verify(WordprocessingDocument document)
    {
        var main = document.MainDocumentPart;
        if (main?.Document?.Body is null)
        {
            yield return "the document body is missing";
            yield break;
        }
        if (main.WordprocessingCommentsPart is not null || main.WordprocessingCommentsExPart is not null || main.WordprocessingPeoplePart is not null)
        {
            yield return "comments remain";
        }
        if (main.GlossaryDocumentPart is not null)
        {
            yield return "the glossary remains";
        }
        if (UnusedHeaderAndFooterReferences(main).Any())
        {
            yield return "a header or footer the layout never prints remains";
        }
        var styles = HiddenStyles.From(main.StyleDefinitionsPart?.Styles);
        foreach (var part in StoryParts(main))
        {
            var root = part.RootElement!;
            var left = root.Descendants().Where(IsW).Select(e => e.LocalName)
                .Where(n => n is "ins" or "del" or "moveFrom" or "moveTo" or "delText" or "delInstrText" or "cellDel" || FormattingChanges.Contains(n)
                    || CommentAnchors.Contains(n) || n is "object" or "control" or "altChunk" or "dataBinding")
                .Distinct().ToList();
            if (left.Count > 0)
            {
                yield return $"{part.Uri} still has {string.Join(", ", left.Select(n => "w:" + n))}";
            }
            if (root.Descendants<DocumentFormat.OpenXml.Drawing.Wordprocessing.DocProperties>().Any(p => p.Hidden?.Value == true))
            {
                yield return $"{part.Uri} still has a hidden shape or picture";
            }
            if (root.Descendants<Run>().Any(r => styles.IsHidden(r) && r.ChildElements.Any(c => c is not RunProperties and not FieldChar)))
            {
                yield return $"{part.Uri} still has hidden text";
            }
        }
        if (main.DocumentSettingsPart?.Settings is { } settings
            && (settings.Elements<AttachedTemplate>().Any() || settings.Elements<DocumentVariables>().Any() || settings.Elements<MailMerge>().Any()))
        {
            yield return "the settings still name a template, document variables or a mail-merge source";
        }
    }

    private sealed class Counts
    {
        public int Revisions;
        public int CommentAnchors;
        public int HiddenRuns;
        public int Objects;
        public int HiddenDrawings;
    }

    /// <summary>
    /// Whether text is hidden (w:vanish) once direct formatting, the character style, the paragraph style (each
    /// with the styles it is based on) and the document defaults are applied, the nearest setting winning.
    /// </summary>
    private sealed class HiddenStyles
    {
        private readonly Dictionary<string, (string? BasedOn, bool? Hidden)> byId = new(StringComparer.Ordinal);
        private bool defaultHidden;

        public static HiddenStyles From(Styles? styles)
        {
            var result = new HiddenStyles();
            if (styles is null)
            {
                return result;
            }
            result.defaultHidden = Explicit(styles.DocDefaults?.RunPropertiesDefault?.RunPropertiesBaseStyle) ?? false;
            foreach (var style in styles.Elements<Style>())
            {
                if (style.StyleId?.Value is { } id)
                {
                    result.byId[id] = (style.BasedOn?.Val?.Value, Explicit(style.StyleRunProperties));
                }
            }
            return result;
        }

        public bool IsHidden(Run run)
        {
            var paragraph = run.Ancestors<Paragraph>().FirstOrDefault();
            return Explicit(run.RunProperties)
                ?? FromStyle(run.RunProperties?.RunStyle?.Val?.Value)
                ?? FromStyle(paragraph?.ParagraphProperties?.ParagraphStyleId?.Val?.Value)
                ?? defaultHidden;
        }

        public bool IsMarkHidden(Paragraph paragraph) =>
            Explicit(paragraph.ParagraphProperties?.ParagraphMarkRunProperties)
            ?? FromStyle(paragraph.ParagraphProperties?.ParagraphStyleId?.Val?.Value)
            ?? defaultHidden;

        private bool? FromStyle(string? id)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (id is not null && seen.Add(id) && byId.TryGetValue(id, out var style))
            {
                if (style.Hidden is { } hidden)
                {
                    return hidden;
                }
                id = style.BasedOn;
            }
            return null;
        }

        /// <summary>w:vanish or w:specVanish set on this properties element: true, false, or null when it says nothing.</summary>
        private static bool? Explicit(OpenXmlElement? properties)
        {
            var flag = properties?.ChildElements.FirstOrDefault(e => e.NamespaceUri == W && e.LocalName is "vanish" or "specVanish");
            if (flag is null)
            {
                return null;
            }
            var value = flag.GetAttributes().FirstOrDefault(a => a.LocalName == "val").Value;
            return value is null or "1" or "true" or "on";
        }
    }
}
