using System.Buffers;
using MimeKit;

namespace RecordsRequests.Features.Intake;

/// <summary>
/// A text part whose stored bytes are its text: printable ASCII (with tabs and line breaks), not transfer-encoded (or
/// quoted-printable with no "=" escape in it), in a charset that reads ASCII as ASCII. Such a part decodes to its bytes
/// read one to a character, so it has nothing to clean (<see cref="ReadableCopy"/>) and can be read without MimeKit's
/// decoding filters (<see cref="MailContent.BodyText"/>). Most mail is this; decoding it through the filters copied a
/// body three times, a large one on the large-object heap, and did it once to look and once to read.
/// </summary>
public static class StoredText
{
    /// <summary>Whether the part's stored bytes are its text.</summary>
    public static bool IsItsText(TextPart part) => Read(part, into: null);

    /// <summary>
    /// The part's text in a buffer rented from <see cref="ArrayPool{T}.Shared"/> (the caller returns it), when its stored
    /// bytes are its text; otherwise null, and the part is to be decoded the usual way.
    /// </summary>
    public static char[]? RentText(TextPart part, out int length)
    {
        length = 0;
        if (part.Content?.Stream is not { CanSeek: true } stored || stored.Length > int.MaxValue)
        {
            return null;
        }
        var text = ArrayPool<char>.Shared.Rent(Math.Max(1, (int)stored.Length));
        if (!Read(part, text))
        {
            ArrayPool<char>.Shared.Return(text);
            return null;
        }
        length = (int)stored.Length;
        return text;
    }

    /// <summary>Reads the stored bytes through, copying them as characters into <paramref name="into"/> when given.</summary>
    private static bool Read(TextPart part, char[]? into)
    {
        if (part.Content is not { Stream: { CanSeek: true } stored } content || !ReadsAsciiAsAscii(part.ContentType.Charset))
        {
            return false;
        }
        bool escapes;
        switch (content.Encoding)
        {
            case ContentEncoding.Default or ContentEncoding.SevenBit or ContentEncoding.EightBit or ContentEncoding.Binary:
                escapes = false;
                break;
            case ContentEncoding.QuotedPrintable:
                escapes = true;
                break;
            default:
                return false;
        }
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            stored.Position = 0;
            var written = 0;
            int read;
            while ((read = stored.Read(buffer, 0, buffer.Length)) > 0)
            {
                var chunk = buffer.AsSpan(0, read);
                if (chunk.ContainsAnyExcept(PlainBytes) || (escapes && chunk.Contains((byte)'=')))
                {
                    return false;
                }
                if (into is not null)
                {
                    System.Text.Ascii.ToUtf16(chunk, into.AsSpan(written), out var widened);
                    written += widened;
                }
            }
            return true;
        }
        finally
        {
            stored.Position = 0;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Charsets in which every ASCII byte is its ASCII character. An absent charset is read as UTF-8 or Latin-1, both
    /// such. Others (UTF-7, UTF-16, the EBCDIC code pages) can read printable bytes as something else, so are decoded.
    /// </summary>
    private static bool ReadsAsciiAsAscii(string? charset) =>
        string.IsNullOrEmpty(charset)
        || charset.Equals("us-ascii", StringComparison.OrdinalIgnoreCase)
        || charset.Equals("ansi_x3.4-1968", StringComparison.OrdinalIgnoreCase)
        || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
        || charset.StartsWith("iso-8859-", StringComparison.OrdinalIgnoreCase)
        || charset.StartsWith("windows-125", StringComparison.OrdinalIgnoreCase);

    /// <summary>Printable ASCII with tabs and line breaks: text that reads as itself in any of those charsets.</summary>
    public static readonly SearchValues<byte> PlainBytes =
        SearchValues.Create([(byte)'\t', (byte)'\r', (byte)'\n', .. Enumerable.Range(' ', '~' - ' ' + 1).Select(b => (byte)b)]);
}
