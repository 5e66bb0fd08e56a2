using System.Xml;
using System.Xml.Linq;

namespace RecordsRequests.Features.Archive;

/// <summary>
/// A Google Vault export of Gmail in mbox format: one or more <c>.mbox</c> files and the export's
/// <c>export_name-metadata.xml</c>, which holds "message metadata as it exists on Google servers" to be connected with
/// the mbox's messages (https://support.google.com/vault/answer/6099459, Gmail exports: Export contents).
/// <para>
/// The layout followed here is the one a public reader of real Vault exports parses (Nuix's "Associate Google Vault
/// Data" scripts, https://github.com/Nuix/Associate-Google-Vault-Data, GoogleXmlObjects.rb and GoogleMboxXref.rb), which
/// is EDRM XML: <c>Root</c> (DataInterchangeType, Description) / <c>Batch</c> (name) / <c>Documents</c> /
/// <c>Document</c> with its id (<c>DocId</c> there, <c>DocID</c> in the EDRM XML 1.2 schema: both are read) /
/// <c>Tags</c> / <c>Tag</c> (TagName, TagDataType, TagValue; the e-mail fields named with a "#", such as #From and
/// #Subject) and <c>Files</c> / <c>File</c> / <c>ExternalFile</c> (FileName, FileSize, Hash). A message is connected to
/// its Document by the ExternalFile's FileName, which Vault writes on the message's "From " line in the mbox
/// ("From 1406052392473-….mbox …"); failing that, by the RFC 822 Message-ID when the file carries one (Rfc822MessageId,
/// as in Vault's CSV metadata). Tolerated, because that reader meets them in real files: no Labels tag (older exports
/// lack it), no account, no Message-ID. A file that is not XML, or has no Root with Documents, is refused with the reason.
/// </para>
/// </summary>
public static class VaultExport
{
    /// <summary>The export's metadata file in a folder, if the folder is a Vault export.</summary>
    public static string? MetadataFile(string folder) => Directory.Exists(folder)
        ? Directory.EnumerateFiles(folder, "*-metadata.xml", SearchOption.AllDirectories).Order(StringComparer.Ordinal).FirstOrDefault()
        : null;

    public static IReadOnlyList<VaultDocument> Read(string metadataFile)
    {
        var name = Path.GetFileName(metadataFile);
        XDocument xml;
        try
        {
            // No DTDs: the file is data from outside, and XML entity expansion is a known way to exhaust memory.
            using var reader = XmlReader.Create(metadataFile, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
            xml = XDocument.Load(reader);
        }
        catch (XmlException e)
        {
            throw new InvalidDataException($"{name} is not readable XML ({e.Message}); export the metadata from Vault again.", e);
        }
        if (xml.Root is not { } root || root.Name.LocalName != "Root"
            || !root.Elements().Any(e => e.Name.LocalName == "Batch"))
        {
            throw new InvalidDataException(
                $"{name} is not a Google Vault metadata file: Vault's metadata is EDRM XML with a Root element holding Batch, Documents and Document entries, "
                + $"and this file's top element is <{xml.Root?.Name.LocalName}>. Give the export's own export_name-metadata.xml, or import the mbox files without it.");
        }
        var documents = new List<VaultDocument>();
        foreach (var document in root.Elements().Where(e => e.Name.LocalName == "Batch").Elements().Where(e => e.Name.LocalName == "Documents")
            .Elements().Where(e => e.Name.LocalName == "Document"))
        {
            var tags = document.Elements().Where(e => e.Name.LocalName == "Tags").Elements().Where(e => e.Name.LocalName == "Tag")
                .Select(t => (Name: (Attribute(t, "TagName") ?? "").Trim().TrimStart('#'), Value: Attribute(t, "TagValue") ?? ""))
                .Where(t => t.Value.Length > 0)
                .GroupBy(t => t.Name, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.First().Value, StringComparer.OrdinalIgnoreCase);
            string? Tag(params string[] names) => names.Select(n => tags.GetValueOrDefault(n)).FirstOrDefault(v => v is not null);
            var labels = Tag("Labels")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
            var externalFile = document.Descendants().Where(e => e.Name.LocalName == "ExternalFile").Select(e => Attribute(e, "FileName"))
                .FirstOrDefault(f => !string.IsNullOrWhiteSpace(f))?.Trim();
            documents.Add(new VaultDocument(Attribute(document, "DocID") ?? externalFile ?? "",
                ContentExtractor.NormalizeMessageId(Tag("Rfc822MessageId", "MessageID", "Message-ID")),
                Tag("Account", "Custodian"), labels, Tag("GmailMessageId"), externalFile));
        }
        if (documents.Count == 0)
        {
            throw new InvalidDataException($"{name} has Vault's layout but describes no messages (no Batch/Documents/Document entries): the export may have been cut short; export it again.");
        }
        return documents;
    }

    /// <summary>An attribute by name whatever its case (DocID in the EDRM schema, DocId in exports read in the wild).</summary>
    private static string? Attribute(XElement element, string name) =>
        element.Attributes().FirstOrDefault(a => string.Equals(a.Name.LocalName, name, StringComparison.OrdinalIgnoreCase))?.Value;

    /// <summary>
    /// The first word of each message's "From " separator line, by the line's byte offset (the offset the archive
    /// records for the message): where Vault writes the message's ExternalFile name. The messages are cut as the
    /// importer cuts them (<see cref="MboxReader"/>), not parsed.
    /// </summary>
    public static Dictionary<long, string> SeparatorWords(string mbox)
    {
        var words = new Dictionary<long, string>();
        using var lines = new FileStream(mbox, FileMode.Open, FileAccess.Read, FileShare.Read, 4096);
        var start = new byte[512];
        foreach (var message in MboxReader.Read(mbox))
        {
            lines.Position = message.Offset;
            var line = start.AsSpan(0, lines.ReadAtLeast(start, start.Length, throwOnEndOfStream: false));
            if (line.IndexOf((byte)'\n') is var end and >= 0)
            {
                line = line[..end];
            }
            var text = System.Text.Encoding.Latin1.GetString(line).TrimEnd('\r');
            if (text.Length > 5 && text[5..].Split(' ', 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() is { } word)
            {
                words[message.Offset] = word;
            }
        }
        return words;
    }
}
