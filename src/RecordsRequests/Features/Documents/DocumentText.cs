using System.Text;
using UglyToad.PdfPig;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;

namespace RecordsRequests.Features.Documents;

/// <summary>
/// A record's text as versions before pages extracted it (PDF text in content order, pages separated by a form feed;
/// text files as they are). Redactions made then are spans into this text; <c>Redactions.LegacyRedactions</c>
/// reads it once more to place them on the record's pages. Everything else reads <see cref="PagedText"/>.
/// </summary>
public static class DocumentText
{
    private const char PageBreak = '\f';

    private static bool IsSupported(string fileName) =>
        Path.GetExtension(fileName).ToLowerInvariant() is ".pdf" or ".txt" or ".text" or ".md" or ".csv" or ".eml";

    public static string Extract(byte[] content, string fileName)
    {
        if (IsPdf(content))
        {
            using var document = PdfDocument.Open(content);
            var pages = document.GetPages().Select(page => ContentOrderTextExtractor.GetText(page).Replace(PageBreak, ' '));
            return Normalise(string.Join(PageBreak, pages));
        }
        if (!IsSupported(fileName))
        {
            throw new DomainException($"{fileName}: only PDF and text files can be redacted; convert it to PDF first.");
        }
        return Normalise(new UTF8Encoding(false, false).GetString(content).TrimStart('\uFEFF'));
    }

    public static bool IsPdf(ReadOnlySpan<byte> content) => content.StartsWith("%PDF-"u8);

    /// <summary>Line ends become \n, so a span means the same thing whichever system made the file.</summary>
    private static string Normalise(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
}
