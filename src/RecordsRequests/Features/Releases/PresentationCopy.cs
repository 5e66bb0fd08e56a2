using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Presentation;

namespace RecordsRequests.Features.Releases;

/// <summary>
/// A PPTX as it is shown: hidden slides go (with links to them from other slides, custom shows and sections),
/// speaker notes and the notes master go, comments and their authors go, hidden shapes go, embedded objects and
/// controls go, and add-in tags go.
/// </summary>
internal static class PresentationCopy
{
    private const string Relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    public static byte[] Clean(byte[] original, List<string> removed)
    {
        using var stream = new MemoryStream();
        stream.Write(original);
        using (var document = PresentationDocument.Open(stream, true))
        {
            if (document.DocumentType != PresentationDocumentType.Presentation)
            {
                throw new NativeCopyRefusedException("The file is a macro-enabled presentation, a template or a slide show file, not a plain presentation.");
            }
            var main = document.PresentationPart ?? throw new NativeCopyRefusedException("The file has no presentation.");
            var presentation = main.Presentation;
            RemoveHiddenSlides(main, presentation, removed);

            var notes = 0;
            var comments = 0;
            foreach (var slide in main.SlideParts)
            {
                if (slide.NotesSlidePart is { } notesSlide)
                {
                    slide.DeletePart(notesSlide);
                    notes++;
                }
                if (slide.SlideCommentsPart is { } legacyComments)
                {
                    slide.DeletePart(legacyComments);
                    comments++;
                }
                if (slide.commentParts.Any())
                {
                    slide.DeleteParts(slide.commentParts.ToList());
                    comments++;
                }
            }
            if (main.NotesMasterPart is { } notesMaster)
            {
                main.DeletePart(notesMaster);
            }
            presentation.NotesMasterIdList = null;
            if (notes > 0)
            {
                removed.Add($"speaker notes ({notes} slide{(notes == 1 ? "" : "s")})");
            }
            if (main.CommentAuthorsPart is { } authors)
            {
                main.DeletePart(authors);
            }
            if (main.authorsPart is { } modernAuthors)
            {
                main.DeletePart(modernAuthors);
            }
            if (comments > 0)
            {
                removed.Add("comments");
            }

            var hiddenShapes = 0;
            var objects = 0;
            foreach (var part in main.SlideParts.Cast<OpenXmlPart>().Concat(main.SlideMasterParts).Concat(main.SlideMasterParts.SelectMany(m => m.SlideLayoutParts)).Distinct())
            {
                var root = part.RootElement!;
                // Shapes marked hidden are not shown in the slide show or printed, but travel in the file.
                foreach (var properties in root.Descendants<NonVisualDrawingProperties>().Where(p => p.Hidden?.Value == true).ToList())
                {
                    if (properties.Parent?.Parent is { Parent: not null } shape)
                    {
                        NativeCopy.RemoveWithAlternateContent(shape);
                        hiddenShapes++;
                    }
                }
                var embedded = root.Descendants().Where(e => e is OleObject or Control).ToList();
                foreach (var element in embedded)
                {
                    var frame = element.Ancestors<GraphicFrame>().FirstOrDefault() ?? element;
                    if (frame.Parent is not null)
                    {
                        NativeCopy.RemoveWithAlternateContent(frame);
                        objects++;
                    }
                }
                foreach (var controls in root.Descendants<ControlList>().ToList())
                {
                    controls.Remove();
                }
                // Customer data points at custom XML and add-in tags, which the package clean-up removes.
                foreach (var data in root.Descendants().Where(e => e is CustomerDataList).ToList())
                {
                    data.Remove();
                }
                foreach (var vml in part.Parts.Select(p => p.OpenXmlPart).OfType<VmlDrawingPart>().ToList())
                {
                    part.DeletePart(vml); // legacy previews of embedded objects
                }
            }
            foreach (var data in presentation.Descendants().Where(e => e is CustomerDataList).ToList())
            {
                data.Remove();
            }
            if (hiddenShapes > 0)
            {
                removed.Add($"hidden shapes ({hiddenShapes})");
            }
            if (objects > 0)
            {
                removed.Add($"embedded objects and controls ({objects})");
            }
            NativeCopy.CleanPackage(document, removed);
        }
        return stream.ToArray();
    }

    private static void RemoveHiddenSlides(PresentationPart main, Presentation presentation, List<string> removed)
    {
        var hidden = presentation.SlideIdList?.Elements<SlideId>()
            .Select(id => (Id: id, Part: (SlidePart)main.GetPartById(id.RelationshipId!.Value!)))
            .Where(x => x.Part.Slide.Show?.Value == false).ToList() ?? [];
        if (hidden.Count == 0)
        {
            return;
        }
        if (hidden.Count == presentation.SlideIdList!.Elements<SlideId>().Count())
        {
            throw new NativeCopyRefusedException("Every slide of the presentation is hidden.");
        }
        foreach (var (id, part) in hidden)
        {
            var relationshipId = id.RelationshipId!.Value!;
            var number = id.Id?.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
            // Custom shows list slides by relationship; sections (an extension) by slide number.
            foreach (var listed in presentation.Descendants().Where(e => e.LocalName == "sld" && e.GetAttributes().Any(a => a.NamespaceUri == Relationships && a.Value == relationshipId)).ToList())
            {
                listed.Remove();
            }
            foreach (var listed in presentation.Descendants().Where(e => e.LocalName == "sldId" && e is not SlideId && e.GetAttributes().Any(a => a.LocalName == "id" && a.Value == number)).ToList())
            {
                listed.Remove();
            }
            id.Remove();
            // A link from another slide keeps the hidden slide in the package; drop the link and its relationship.
            foreach (var other in main.SlideParts.Where(s => s != part))
            {
                foreach (var link in other.Parts.Where(p => p.OpenXmlPart == part).ToList())
                {
                    foreach (var element in other.RootElement!.Descendants().Where(e => e.GetAttributes().Any(a => a.NamespaceUri == Relationships && a.Value == link.RelationshipId)).ToList())
                    {
                        element.Remove();
                    }
                    other.DeletePart(link.RelationshipId);
                }
            }
            main.DeletePart(part);
        }
        removed.Add($"{hidden.Count} hidden slide{(hidden.Count == 1 ? "" : "s")}");
    }

    public static IEnumerable<string> Verify(PresentationDocument document)
    {
        var main = document.PresentationPart;
        if (main?.Presentation?.SlideIdList is not { } slides || !slides.HasChildren)
        {
            yield return "the presentation has no slides";
            yield break;
        }
        var parts = document.GetAllParts().ToList();
        if (parts.OfType<SlidePart>().Any(s => s.Slide.Show?.Value == false))
        {
            yield return "a hidden slide remains";
        }
        if (parts.OfType<SlidePart>().Count() != slides.Elements<SlideId>().Count())
        {
            yield return "the package holds slides the presentation does not list";
        }
        if (parts.Any(p => p is NotesSlidePart or NotesMasterPart or SlideCommentsPart or PowerPointCommentPart or CommentAuthorsPart or PowerPointAuthorsPart))
        {
            yield return "speaker notes or comments remain";
        }
        foreach (var slide in parts.OfType<SlidePart>())
        {
            if (slide.Slide.Descendants().Any(e => e is OleObject or Control || e is NonVisualDrawingProperties { Hidden.Value: true }))
            {
                yield return $"{slide.Uri} still has an embedded object, a control or a hidden shape";
            }
        }
    }
}
