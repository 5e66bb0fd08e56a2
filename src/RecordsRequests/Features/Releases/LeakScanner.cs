using System.IO.Compression;
using System.Text;
using RecordsRequests.Features.Documents;
using UglyToad.PdfPig;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;

namespace RecordsRequests.Features.Releases;

/// <summary>
/// The release gate: reads every produced file back and searches it for every redacted string. A PDF is read as
/// text (PdfPig, per page) and as raw bytes, including each FlateDecode stream inflated; a ZIP package (a native
/// DOCX, XLSX or PPTX copy) entry by entry, its XML as text (<see cref="PackageText"/>) and every entry as bytes,
/// also as UTF-16LE, the encoding of text inside embedded binary objects; other files as text.
/// Variants searched: the words of the string whatever their case, spacing, line breaks or punctuation between them;
/// and for strings with six or more digits (SSNs, IDs, phone numbers, dates) the digits alone, whatever separates them.
/// Any hit blocks a release.
/// </summary>
public static partial class LeakScanner
{
    private const int MinimumDigits = 6;

    public static IReadOnlyList<LeakHit> Scan(string fileName, byte[] content, IReadOnlyList<RedactedSecret> secrets)
    {
        var needles = secrets.Select(Needle.For).Where(n => n is not null).Select(n => n!).ToList();
        var hits = new List<LeakHit>();
        if (DocumentText.IsPdf(content))
        {
            try
            {
                using var document = PdfDocument.Open(content);
                foreach (var page in document.GetPages())
                {
                    Search(fileName, $"page {page.Number} text", ContentOrderTextExtractor.GetText(page), needles, hits);
                    Search(fileName, $"page {page.Number} letters", string.Concat(page.Letters.Select(l => l.Value)), needles, hits);
                }
                Search(fileName, "document information", string.Join('\n', (IEnumerable<object>?)document.Information.DocumentInformationDictionary?.Data.Values ?? []), needles, hits);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                hits.Add(new LeakHit(fileName, "PDF could not be read back", "unreadable file", e.Message));
            }
            // Outside the page text, a PDF holds words only in its strings and names: the numbers of its structure
            // (offsets, widths, coordinates) are not text and would only match short numeric identifiers by chance.
            // Stream data is read as what it decodes to; the pixels of images are left to the pixel gate and OCR.
            var streams = Streams(content);
            var outsideStreams = (byte[])content.Clone();
            foreach (var stream in streams)
            {
                Array.Fill(outsideStreams, (byte)' ', stream.Start, stream.Length);
            }
            SearchPdfStrings(fileName, "file structure", outsideStreams, needles, hits);
            var index = 0;
            foreach (var stream in streams)
            {
                index++;
                if (!stream.IsImage)
                {
                    var data = stream.Inflated ?? content.AsSpan(stream.Start, stream.Length).ToArray();
                    SearchPdfStrings(fileName, $"stream {index}{(stream.Inflated is null ? "" : " (inflated)")}", data, needles, hits);
                }
            }
        }
        else if (PackageText.IsZip(content))
        {
            ScanPackage(fileName, content, needles, hits);
        }
        else
        {
            Search(fileName, "text", Encoding.UTF8.GetString(content), needles, hits);
            SearchBytes(fileName, "raw bytes", content, needles, hits);
        }
        return hits.DistinctBy(h => (h.Where, h.Label, h.Variant)).ToList();
    }

    /// <summary>Searches text read some other way (the OCR of a released page) for every secret.</summary>
    public static IReadOnlyList<LeakHit> ScanText(string fileName, string where, string text, IReadOnlyList<RedactedSecret> secrets)
    {
        var hits = new List<LeakHit>();
        Search(fileName, where, text, secrets.Select(Needle.For).Where(n => n is not null).Select(n => n!).ToList(), hits);
        return hits;
    }

    private static void ScanPackage(string fileName, byte[] content, List<Needle> needles, List<LeakHit> hits)
    {
        IReadOnlyList<PackageEntry> entries;
        try
        {
            entries = PackageText.Read(content);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException)
        {
            hits.Add(new LeakHit(fileName, "package could not be read back", "unreadable file", e.Message));
            return;
        }
        foreach (var entry in entries)
        {
            Search(fileName, $"part {entry.Name} name", entry.Name, needles, hits);
            if (entry.Text is not null)
            {
                Search(fileName, $"part {entry.Name} text", entry.Text, needles, hits);
                Search(fileName, $"part {entry.Name} text (runs joined)", entry.JoinedText!, needles, hits);
            }
            SearchBytes(fileName, $"part {entry.Name} bytes", entry.Bytes, needles, hits);
            if (entry.Bytes.Length >= 2)
            {
                Search(fileName, $"part {entry.Name} bytes as UTF-16LE", Encoding.Unicode.GetString(entry.Bytes), needles, hits);
                Search(fileName, $"part {entry.Name} bytes as UTF-16LE+1", Encoding.Unicode.GetString(entry.Bytes, 1, entry.Bytes.Length - 1), needles, hits);
            }
        }
        SearchBytes(fileName, "raw bytes", content, needles, hits);
    }

    private static void SearchBytes(string file, string where, byte[] bytes, List<Needle> needles, List<LeakHit> hits)
    {
        Search(file, where, Encoding.Latin1.GetString(bytes), needles, hits);
        if (bytes.Length >= 2)
        {
            // PDF text strings and some fonts use UTF-16BE; try both alignments.
            Search(file, where + " as UTF-16BE", Encoding.BigEndianUnicode.GetString(bytes), needles, hits);
            Search(file, where + " as UTF-16BE+1", Encoding.BigEndianUnicode.GetString(bytes, 1, bytes.Length - 1), needles, hits);
        }
    }

    private static void Search(string file, string where, string haystack, List<Needle> needles, List<LeakHit> hits)
    {
        if (needles.Count == 0 || haystack.Length == 0)
        {
            return;
        }
        var words = WordsProjection(haystack);
        var digits = needles.Any(n => n.Digits is not null) ? DigitsProjection(haystack) : "";
        foreach (var needle in needles)
        {
            if (words.Contains(needle.Words, StringComparison.Ordinal))
            {
                hits.Add(new LeakHit(file, where, needle.Label, "words (any case, spacing or punctuation)"));
            }
            else if (needle.Digits is not null && digits.Contains(needle.Digits, StringComparison.Ordinal))
            {
                hits.Add(new LeakHit(file, where, needle.Label, "digits only"));
            }
        }
    }

    /// <summary>Lower-case words separated by single spaces, with a space at each end, so a needle matches whole words only.</summary>
    internal static string WordsProjection(string text)
    {
        var builder = new StringBuilder(text.Length + 2).Append(' ');
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                if (pendingSpace && builder[^1] != ' ')
                {
                    builder.Append(' ');
                }
                pendingSpace = false;
                builder.Append(char.ToLowerInvariant(c));
            }
            else if (c is not ('\'' or '\u2019'))
            {
                pendingSpace = true;
            }
        }
        return builder.Append(' ').ToString();
    }

    /// <summary>Runs of digits joined across the separators people write inside numbers; anything else ends a run.</summary>
    internal static string DigitsProjection(string text)
    {
        var builder = new StringBuilder(text.Length / 4 + 2).Append('|');
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                builder.Append(c);
            }
            else if (c is not (' ' or '-' or '.' or '/' or '(' or ')' or '\n'))
            {
                if (builder[^1] != '|')
                {
                    builder.Append('|');
                }
            }
        }
        return builder.Append('|').ToString();
    }

    /// <summary>
    /// The strings (literal, with escapes; hexadecimal, read as bytes and as UTF-16) and names of PDF data, one per line,
    /// searched like text: what a PDF says in words lives there and in the page text.
    /// </summary>
    private static void SearchPdfStrings(string file, string where, byte[] data, List<Needle> needles, List<LeakHit> hits)
    {
        var text = Encoding.Latin1.GetString(data);
        var found = new StringBuilder();
        foreach (System.Text.RegularExpressions.Match match in PdfToken().Matches(text))
        {
            var token = match.Value;
            if (token[0] == '(')
            {
                AppendLiteral(found, token.AsSpan(1, token.Length - 2));
            }
            else if (token[0] == '<')
            {
                var hex = new string(token.Where(char.IsAsciiHexDigit).ToArray());
                var bytes = Convert.FromHexString(hex.Length % 2 == 0 ? hex : hex + "0");
                found.Append(Encoding.Latin1.GetString(bytes)).Append('\n').Append(Encoding.BigEndianUnicode.GetString(bytes));
            }
            else
            {
                found.Append(token[1..].Replace("#20", " ", StringComparison.Ordinal));
            }
            found.Append('\n');
        }
        Search(file, where, found.ToString(), needles, hits);
    }

    /// <summary>A PDF literal string's characters: \n, \r, \t, \b, \f, octal \ddd, and a backslash before any other character is dropped.</summary>
    private static void AppendLiteral(StringBuilder text, ReadOnlySpan<char> literal)
    {
        for (var i = 0; i < literal.Length; i++)
        {
            if (literal[i] != '\\' || i + 1 == literal.Length)
            {
                text.Append(literal[i]);
                continue;
            }
            var next = literal[++i];
            if (next is >= '0' and <= '7')
            {
                var value = 0;
                var digits = 0;
                while (digits < 3 && i < literal.Length && literal[i] is >= '0' and <= '7')
                {
                    value = value * 8 + (literal[i++] - '0');
                    digits++;
                }
                i--;
                text.Append((char)(value & 0xFF));
                continue;
            }
            text.Append(next switch { 'n' => '\n', 'r' => '\r', 't' => '\t', 'b' => '\b', 'f' => '\f', _ => next });
        }
    }

    /// <summary>A literal string (one level of nested parentheses), a hexadecimal string, or a name.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"\((?:[^()\\]|\\.|\((?:[^()\\]|\\.)*\))*\)|<[0-9A-Fa-f\s]+>|/[^\s/<>\[\]()%{}]+")]
    private static partial System.Text.RegularExpressions.Regex PdfToken();

    /// <summary>A stream's data in the file, whether its dictionary says it is an image, and its data inflated if Flate.</summary>
    private sealed record PdfStream(int Start, int Length, bool IsImage, byte[]? Inflated);

    private static List<PdfStream> Streams(byte[] pdf)
    {
        var streams = new List<PdfStream>();
        var marker = "stream"u8;
        var span = pdf.AsSpan();
        var position = 0;
        while (position < pdf.Length)
        {
            var found = span[position..].IndexOf(marker);
            if (found < 0)
            {
                break;
            }
            var keyword = position + found;
            var start = keyword + marker.Length;
            position = start;
            // "endstream" also contains "stream"; only a "stream" keyword followed by an end of line opens data.
            if (start >= 9 && span[(start - 9)..start].SequenceEqual("endstream"u8))
            {
                continue;
            }
            if (start < pdf.Length && pdf[start] == '\r')
            {
                start++;
            }
            if (start < pdf.Length && pdf[start] == '\n')
            {
                start++;
            }
            else
            {
                continue;
            }
            var end = span[start..].IndexOf("endstream"u8);
            if (end < 0)
            {
                break;
            }
            // The stream's dictionary: from its object's "obj" keyword to the "stream" keyword.
            var dictionaryFrom = span[..keyword].LastIndexOf("obj"u8);
            var dictionary = Encoding.Latin1.GetString(pdf, Math.Max(0, dictionaryFrom), keyword - Math.Max(0, dictionaryFrom));
            var isImage = ImageSubtype().IsMatch(dictionary);
            streams.Add(new PdfStream(start, end, isImage, TryInflate(pdf, start, end)));
            position = start + end;
        }
        return streams;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"/Subtype\s*/Image\b")]
    private static partial System.Text.RegularExpressions.Regex ImageSubtype();

    private static byte[]? TryInflate(byte[] pdf, int start, int length)
    {
        try
        {
            using var input = new MemoryStream(pdf, start, length, writable: false);
            using var zlib = new ZLibStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            zlib.CopyTo(output);
            return output.ToArray();
        }
        catch (InvalidDataException)
        {
            return null; // not Flate (an image, or uncompressed text, which the raw scan already covers)
        }
    }

    private sealed record Needle(string Words, string? Digits, string Label)
    {
        public static Needle? For(RedactedSecret secret)
        {
            var words = WordsProjection(secret.Text);
            if (words.Trim().Length < 2)
            {
                return null; // a single letter cannot be searched for meaningfully
            }
            var digitCount = secret.Text.Count(char.IsAsciiDigit);
            var digits = digitCount >= MinimumDigits ? "|" + new string(secret.Text.Where(char.IsAsciiDigit).ToArray()) + "|" : null;
            return new Needle(words, digits, secret.Label);
        }
    }
}
