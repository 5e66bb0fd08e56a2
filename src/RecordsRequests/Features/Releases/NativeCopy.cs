using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;

namespace RecordsRequests.Features.Releases;

/// <summary>
/// A record released in its original format beside its Bates-stamped PDF: the law presumes electronic copies in the
/// native format where feasible (950 CMR 32.04(5)(d), 32.07(1)(c)-(d)). Only a record with no redaction gets one
/// (the caller decides that), and only once everything a reader of the printed record would not see has been taken
/// out: tracked changes, comments, hidden text, sheets, rows, columns and slides, speaker notes, embedded objects,
/// macros, custom XML, document properties and pictures' camera metadata. The copy is then opened again and checked;
/// a copy that fails the check is never returned. The leak gate (<see cref="LeakScanner"/>) still scans the copy like
/// every released file.
/// </summary>
public static class NativeCopy
{
    public static NativeCopyResult Make(byte[] original, string fileName)
    {
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        if (extension is ".txt" or ".csv")
        {
            // Plain text has no hidden layer: what a reader sees is all there is. The gate still scans it.
            return new NativeCopyResult((byte[])original.Clone(), extension, null, []);
        }
        if (RefusalFor(extension) is { } refusal)
        {
            return NativeCopyResult.Refused(refusal);
        }
        if (!PackageText.IsZip(original))
        {
            return NativeCopyResult.Refused(
                $"The file is named {extension} but is not an Office Open XML package: it may be password-protected (encrypted Office files are not ZIP packages), damaged, or another format under a wrong name.");
        }
        try
        {
            var removed = new List<string>();
            var copy = extension switch
            {
                ".docx" => WordCopy.Clean(original, removed),
                ".xlsx" => SpreadsheetCopy.Clean(original, removed),
                _ => PresentationCopy.Clean(original, removed),
            };
            // The check is part of the product: a copy that does not re-open clean is not released.
            var problems = Verify(original, copy, extension);
            if (problems.Count > 0)
            {
                return NativeCopyResult.Refused("The cleaned copy did not pass its own check, so it is not released: " + string.Join("; ", problems));
            }
            return new NativeCopyResult(copy, extension, null, removed.Distinct().ToList()); // one line per kind, not per sheet
        }
        catch (NativeCopyRefusedException e)
        {
            return NativeCopyResult.Refused(e.Message);
        }
        catch (Exception e) when (e is OpenXmlPackageException or FileFormatException or InvalidDataException or IOException or System.Xml.XmlException)
        {
            return NativeCopyResult.Refused($"The file could not be read as a {extension} document ({e.Message}); it may be damaged.");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever went wrong, the release still has the PDF; the reason is shown and audited, not swallowed.
            return NativeCopyResult.Refused($"The native copy could not be made because of an unexpected error ({e.GetType().Name}: {e.Message}); only the PDF is released.");
        }
    }

    private static string? RefusalFor(string extension) => extension switch
    {
        ".docx" or ".xlsx" or ".pptx" => null,
        ".docm" or ".xlsm" or ".pptm" or ".dotm" or ".xltm" or ".potm" or ".xlsb" =>
            "Macro-enabled Office files are not copied natively: the macros are programs, not part of the record.",
        ".dotx" or ".xltx" or ".potx" => "Office templates are not copied natively; the PDF shows their content.",
        ".doc" or ".xls" or ".ppt" or ".rtf" =>
            "Older binary Office formats cannot be cleaned of hidden content reliably here, so only the PDF is released.",
        ".odt" or ".ods" or ".odp" => "OpenDocument files are not cleaned of hidden content here yet, so only the PDF is released.",
        ".pdf" => "A PDF record is released as the Bates-stamped PDF itself, rebuilt without its metadata, annotations or scripts.",
        ".png" or ".jpg" or ".jpeg" or ".tif" or ".tiff" or ".gif" or ".bmp" or ".heic" or ".webp" =>
            "Images can carry camera, location and editing metadata that is not removed here yet, so only the PDF is released.",
        ".eml" or ".msg" => "An e-mail's headers and attachments are released through its rendered PDF and its attachments' own records.",
        "" => "The file has no extension, so its format is unknown; only the PDF is released.",
        _ => $"Files of type {extension} are not copied natively; only the PDF is released.",
    };

    /// <summary>Document properties, thumbnails, custom XML, signatures and embedded objects: the same in every format.</summary>
    internal static void CleanPackage(OpenXmlPackage package, List<string> removed)
    {
        var properties = package.PackageProperties;
        if (properties.Creator is not null || properties.LastModifiedBy is not null || properties.Title is not null || properties.Subject is not null
            || properties.Keywords is not null || properties.Description is not null || properties.Category is not null)
        {
            removed.Add("document properties (author, last editor, title, subject, keywords, dates)");
        }
        // All of them: a title or keywords can name a student as easily as the author field can name the teacher.
        properties.Creator = null;
        properties.LastModifiedBy = null;
        properties.Title = null;
        properties.Subject = null;
        properties.Keywords = null;
        properties.Description = null;
        properties.Category = null;
        properties.ContentStatus = null;
        properties.ContentType = null;
        properties.Identifier = null;
        properties.Language = null;
        properties.Revision = null;
        properties.Version = null;
        properties.Created = null;
        properties.Modified = null;
        properties.LastPrinted = null;

        var rootParts = package.Parts.Select(p => p.OpenXmlPart).ToList();
        DeleteRootParts<ExtendedFilePropertiesPart>(package, rootParts, removed, "application properties (company, manager, template, list of sheet or slide titles)");
        DeleteRootParts<CustomFilePropertiesPart>(package, rootParts, removed, "custom document properties");
        DeleteRootParts<ThumbnailPart>(package, rootParts, removed, "the thumbnail picture");
        DeleteRootParts<DigitalSignatureOriginPart>(package, rootParts, removed, "digital signatures (no longer valid once cleaned)");
        DeleteRootParts<QuickAccessToolbarCustomizationsPart>(package, rootParts, removed, "toolbar customisations");
        DeleteRootParts<RibbonExtensibilityPart>(package, rootParts, removed, "ribbon customisations");
        DeleteRootParts<WebExTaskpanesPart>(package, rootParts, removed, "add-in panes");

        var pictures = 0;
        foreach (var image in package.GetAllParts().OfType<ImagePart>().ToList())
        {
            var bytes = ReadAll(image);
            byte[] stripped;
            try
            {
                stripped = ImageMetadata.Strip(bytes);
            }
            catch (InvalidDataException e)
            {
                throw new NativeCopyRefusedException($"A picture in the file ({image.Uri}) could not be checked for hidden metadata: {e.Message}");
            }
            if (!ReferenceEquals(stripped, bytes))
            {
                using var data = new MemoryStream(stripped);
                image.FeedData(data);
                pictures++;
            }
        }
        if (pictures > 0)
        {
            removed.Add($"camera and editing metadata from {pictures} picture{(pictures == 1 ? "" : "s")}");
        }

        foreach (var chart in package.GetAllParts().OfType<ChartPart>().ToList())
        {
            // A chart draws from its cached values; the workbook embedded behind it can hold far more than it plots.
            foreach (var data in chart.ChartSpace.Elements<DocumentFormat.OpenXml.Drawing.Charts.ExternalData>().ToList())
            {
                data.Remove();
            }
            foreach (var external in chart.ExternalRelationships.ToList())
            {
                chart.DeleteExternalRelationship(external);
            }
        }

        // Embedded objects, ActiveX controls, macros and custom XML, wherever in the package they hang. Each format's
        // cleaner has already removed the markup that pointed at them.
        var kinds = new (Type Type, string Words)[]
        {
            (typeof(EmbeddedObjectPart), "embedded objects"),
            (typeof(EmbeddedPackagePart), "embedded documents (including the workbooks behind charts)"),
            (typeof(EmbeddedControlPersistencePart), "ActiveX controls"),
            (typeof(EmbeddedControlPersistenceBinaryDataPart), "ActiveX controls"),
            (typeof(ControlPropertiesPart), "form controls"),
            (typeof(VbaProjectPart), "macros"),
            (typeof(VbaDataPart), "macros"),
            (typeof(CustomXmlPart), "custom XML data"),
            (typeof(UserDefinedTagsPart), "add-in tags"),
            (typeof(WebExtensionPart), "add-ins"),
        };
        var found = new HashSet<string>();
        // One at a time, looking again after each: deleting a part also deletes the parts below it.
        while (package.GetAllParts().SelectMany(parent => parent.Parts.Select(child => (Parent: parent, Child: child)))
            .Select(x => (x.Parent, x.Child, Kind: kinds.FirstOrDefault(k => k.Type.IsInstanceOfType(x.Child.OpenXmlPart))))
            .FirstOrDefault(x => x.Kind.Type is not null) is { Parent: not null } doomed)
        {
            doomed.Parent.DeletePart(doomed.Child.RelationshipId);
            found.Add(doomed.Kind.Words);
        }
        removed.AddRange(found.Order());
    }

    private static byte[] ReadAll(OpenXmlPart part)
    {
        using var stream = part.GetStream(FileMode.Open, FileAccess.Read);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static void DeleteRootParts<T>(OpenXmlPackage package, List<OpenXmlPart> rootParts, List<string> removed, string words) where T : OpenXmlPart
    {
        var parts = rootParts.OfType<T>().ToList();
        foreach (var part in parts)
        {
            package.DeletePart(part);
        }
        if (parts.Count > 0)
        {
            removed.Add(words);
        }
    }

    internal static void RemoveWithAlternateContent(OpenXmlElement element)
    {
        // Inside mc:AlternateContent the same object appears in every choice; remove the whole alternative. The
        // nearest one: an outer alternative can be a visible text box that merely contains this object.
        var alternative = element.Ancestors<AlternateContent>().FirstOrDefault();
        (alternative ?? element).Remove();
    }

    /// <summary>Everything checked on the re-opened copy; each message names what was found.</summary>
    internal static List<string> Verify(byte[] original, byte[] copy, string extension)
    {
        var problems = new List<string>();
        using var stream = new MemoryStream(copy, writable: false);
        using OpenXmlPackage package = extension switch
        {
            ".docx" => WordprocessingDocument.Open(stream, false),
            ".xlsx" => SpreadsheetDocument.Open(stream, false),
            _ => PresentationDocument.Open(stream, false),
        };
        var properties = package.PackageProperties;
        if (properties.Creator is not null || properties.LastModifiedBy is not null || properties.Title is not null || properties.Subject is not null
            || properties.Keywords is not null || properties.Description is not null || properties.Category is not null || properties.Created is not null
            || properties.Modified is not null || properties.LastPrinted is not null)
        {
            problems.Add("document properties remain");
        }
        var parts = package.GetAllParts().ToList();
        foreach (var part in parts)
        {
            if (part is ExtendedFilePropertiesPart or CustomFilePropertiesPart or ThumbnailPart or DigitalSignatureOriginPart or EmbeddedObjectPart
                or EmbeddedPackagePart or EmbeddedControlPersistencePart or EmbeddedControlPersistenceBinaryDataPart or ControlPropertiesPart
                or VbaProjectPart or CustomXmlPart or UserDefinedTagsPart or WebExtensionPart or WebExTaskpanesPart)
            {
                problems.Add($"{part.GetType().Name} remains at {part.Uri}");
            }
            else if (part is ImagePart image)
            {
                try
                {
                    if (ImageMetadata.HasMetadata(ReadAll(image)))
                    {
                        problems.Add($"the picture {image.Uri} still carries metadata");
                    }
                }
                catch (InvalidDataException)
                {
                    problems.Add($"the picture {image.Uri} cannot be read");
                }
            }
        }
        problems.AddRange(extension switch
        {
            ".docx" => WordCopy.Verify((WordprocessingDocument)package),
            ".xlsx" => SpreadsheetCopy.Verify((SpreadsheetDocument)package),
            _ => PresentationCopy.Verify((PresentationDocument)package),
        });
        problems.AddRange(NewSchemaErrors(original, package, extension));
        return problems;
    }

    /// <summary>
    /// Schema errors the copy has and the original did not: removing content must not leave a file Office would
    /// repair or refuse. Files from real tools often carry a few errors already; those are not ours to fix.
    /// </summary>
    private static IEnumerable<string> NewSchemaErrors(byte[] original, OpenXmlPackage copy, string extension)
    {
        var validator = new OpenXmlValidator(FileFormatVersions.Microsoft365);
        using var stream = new MemoryStream(original, writable: false);
        using OpenXmlPackage before = extension switch
        {
            ".docx" => WordprocessingDocument.Open(stream, false),
            ".xlsx" => SpreadsheetDocument.Open(stream, false),
            _ => PresentationDocument.Open(stream, false),
        };
        var known = validator.Validate(before).Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        return validator.Validate(copy).Where(e => !known.Contains(e.Id)).Take(5)
            .Select(e => $"schema error {e.Id} in {e.Part?.Uri} at {e.Path?.XPath}: {e.Description}");
    }
}
