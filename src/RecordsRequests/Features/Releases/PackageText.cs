using System.IO.Compression;
using System.Text;
using System.Xml;

namespace RecordsRequests.Features.Releases;

/// <summary>
/// Reads every entry of a ZIP package, whether or not any relationship still points at it: an OOXML part that no
/// relationship reaches is invisible to Word or Excel but still travels in the file, so the gate must see it too.
/// XML entries (document body, shared strings, comments, properties, relationships) give their text; an entry that
/// is itself a package (an embedded workbook) is read in turn.
/// </summary>
public static class PackageText
{
    /// <summary>ZIP bombs: a release file whose entries inflate past this is refused rather than scanned half-way.</summary>
    private const long MaximumInflatedBytes = 1L << 30;
    private const int MaximumNesting = 3;
    private const char Separator = '\u2029'; // breaks both word matches and digit runs in LeakScanner's projections

    /// <summary>Text of these elements' content joins with nothing between runs; their end closes a block.</summary>
    private static readonly HashSet<string> Blocks = new(StringComparer.Ordinal) { "p", "si", "is", "c", "tc", "f", "v", "comment", "definedName", "txBody" };

    public static bool IsZip(ReadOnlySpan<byte> content) => content.StartsWith("PK\u0003\u0004"u8);

    /// <exception cref="InvalidDataException">The package is damaged or inflates past the size the gate will read.</exception>
    public static IReadOnlyList<PackageEntry> Read(byte[] package)
    {
        var entries = new List<PackageEntry>();
        long budget = MaximumInflatedBytes;
        Read(package, "", 0, entries, ref budget);
        return entries;
    }

    private static void Read(byte[] package, string prefix, int depth, List<PackageEntry> entries, ref long budget)
    {
        using var zip = new ZipArchive(new MemoryStream(package, writable: false), ZipArchiveMode.Read);
        foreach (var entry in zip.Entries)
        {
            if (entry.FullName.EndsWith('/'))
            {
                continue;
            }
            var bytes = Inflate(entry, ref budget);
            var name = prefix + entry.FullName;
            if (IsZip(bytes) && depth < MaximumNesting)
            {
                entries.Add(new PackageEntry(name, bytes, null, null));
                Read(bytes, name + "/", depth + 1, entries, ref budget);
            }
            else if (LooksLikeXml(bytes) && TryXmlText(bytes, out var text, out var joined))
            {
                entries.Add(new PackageEntry(name, bytes, text, joined));
            }
            else
            {
                entries.Add(new PackageEntry(name, bytes, null, null));
            }
        }
    }

    /// <summary>Counts what actually inflates, not the size the entry declares, which a crafted file can understate.</summary>
    private static byte[] Inflate(ZipArchiveEntry entry, ref long budget)
    {
        using var stream = entry.Open();
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            budget -= read;
            if (budget < 0)
            {
                throw new InvalidDataException("The package inflates to more than the leak gate reads; it cannot be released as it is.");
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static bool LooksLikeXml(byte[] bytes)
    {
        var span = bytes.AsSpan();
        if (span.StartsWith("\uFEFF"u8))
        {
            span = span[3..];
        }
        return span.TrimStart(" \t\r\n"u8).StartsWith("<"u8);
    }

    /// <summary>
    /// Two readings of one XML entry. Text: every text node and attribute value (authors, sheet names, defined
    /// names and property values live in attributes), each followed by a separator. Joined: text nodes only, run
    /// after run with nothing between them, a separator at the end of each paragraph-like element.
    /// </summary>
    private static bool TryXmlText(byte[] bytes, out string text, out string joined)
    {
        var separated = new StringBuilder();
        var runs = new StringBuilder();
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = false };
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(bytes, writable: false), settings);
            while (reader.Read())
            {
                switch (reader.NodeType)
                {
                    case XmlNodeType.Element:
                        var empty = reader.IsEmptyElement;
                        var local = reader.LocalName;
                        while (reader.MoveToNextAttribute())
                        {
                            separated.Append(reader.Value).Append(Separator);
                        }
                        if (empty && Blocks.Contains(local))
                        {
                            runs.Append(Separator);
                        }
                        break;
                    case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace or XmlNodeType.Comment or XmlNodeType.ProcessingInstruction:
                        separated.Append(reader.Value).Append(Separator);
                        runs.Append(reader.Value);
                        break;
                    case XmlNodeType.EndElement when Blocks.Contains(reader.LocalName):
                        runs.Append(Separator);
                        break;
                }
            }
        }
        catch (XmlException)
        {
            // Not well-formed: the raw byte searches still read it.
            text = joined = "";
            return false;
        }
        text = separated.ToString();
        joined = runs.ToString();
        return true;
    }
}
