using System.Text;
using System.Text.RegularExpressions;

namespace RecordsRequests.Features.Releases;

/// <summary>
/// Removes the document information dictionary (Producer, Creator, CreationDate, ModDate…), the XMP metadata stream
/// and the producer comment from a PDF that PDFsharp wrote. PDFsharp 6.2.4 has no option for this: its save step always
/// sets Producer and adds a fresh /Metadata stream, whatever the caller cleared beforehand. So the saved bytes are patched in place: the two
/// references become spaces and the two objects become <c>null</c> padded with spaces, which keeps every byte offset
/// (and so the cross-reference table) valid. The result is read back and the release fails if anything is left.
/// </summary>
public static partial class PdfMetadataStripper
{
    public static byte[] Strip(byte[] pdf)
    {
        // Latin-1 maps every byte to one char and back, so offsets in the string are offsets in the file.
        var text = Encoding.Latin1.GetString(pdf);
        var trailer = text.LastIndexOf("trailer", StringComparison.Ordinal);
        if (trailer < 0)
        {
            throw new InvalidOperationException("The PDF has no classic trailer; its metadata cannot be stripped.");
        }
        var buffer = text.ToCharArray();
        if (InfoReference().Match(text, trailer) is { Success: true } info)
        {
            Blank(buffer, info.Index, info.Length);
            BlankObject(text, buffer, info.Groups[1].Value);
        }
        foreach (var metadata in MetadataReference().Matches(text).Cast<Match>().Select(m => (m.Index, m.Length, Number: m.Groups[1].Value)).ToList())
        {
            Blank(buffer, metadata.Index, metadata.Length);
            BlankObject(text, buffer, metadata.Number);
        }
        // PDFsharp also signs the file with a comment after the trailer ("% Created with PDFsharp …").
        if (CreatorComment().Match(text, trailer) is { Success: true } comment)
        {
            Blank(buffer, comment.Index, comment.Length);
        }
        var stripped = Encoding.Latin1.GetBytes(buffer);
        Verify(stripped);
        return stripped;
    }

    private static void BlankObject(string text, char[] buffer, string number)
    {
        var start = Regex.Match(text, $@"(?<![0-9]){number} 0 obj\b", RegexOptions.CultureInvariant);
        if (!start.Success)
        {
            throw new InvalidOperationException($"PDF object {number} not found; its metadata cannot be stripped.");
        }
        var bodyStart = start.Index + start.Length;
        var end = text.IndexOf("endobj", bodyStart, StringComparison.Ordinal);
        if (end < 0)
        {
            throw new InvalidOperationException($"PDF object {number} has no end; its metadata cannot be stripped.");
        }
        Blank(buffer, bodyStart, end - bodyStart);
        " null\n".CopyTo(0, buffer, bodyStart, Math.Min(6, end - bodyStart));
    }

    private static void Blank(char[] buffer, int start, int length) => Array.Fill(buffer, ' ', start, length);

    private static void Verify(byte[] pdf)
    {
        using var document = UglyToad.PdfPig.PdfDocument.Open(pdf);
        var info = document.Information.DocumentInformationDictionary;
        if (info is { Data.Count: > 0 } || document.TryGetXmpMetadata(out _) || document.NumberOfPages == 0)
        {
            throw new InvalidOperationException("Stripping the PDF's metadata failed; the file must not be released.");
        }
    }

    [GeneratedRegex(@"/Info\s+([0-9]+)\s+0\s+R", RegexOptions.CultureInvariant)]
    private static partial Regex InfoReference();

    [GeneratedRegex(@"%[^\r\n]*PDFsharp[^\r\n]*", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex CreatorComment();

    [GeneratedRegex(@"/Metadata\s+([0-9]+)\s+0\s+R", RegexOptions.CultureInvariant)]
    private static partial Regex MetadataReference();
}
