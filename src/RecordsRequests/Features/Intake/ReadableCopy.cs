using System.Buffers;
using MimeKit;
using RecordsRequests.Features.Shared;

namespace RecordsRequests.Features.Intake;

/// <summary>
/// The parsed message is the readable copy: header values, text parts and file names lose NUL and other control
/// characters and unpaired surrogates (<see cref="UntrustedText"/>), so whatever is stored from it can be saved. Only
/// what needs it is touched, and the exact bytes stay in the content store. (A DKIM signature over a cleaned part no
/// longer verifies, which is right: honest signed mail carries no NUL.)
/// </summary>
public static class ReadableCopy
{
    public static void Clean(MimeMessage message)
    {
        CleanHeaders(message.Headers);
        foreach (var entity in message.BodyParts)
        {
            CleanHeaders(entity.Headers);
            if (entity is TextPart text && !text.IsAttachment && MayNeedCleaning(text) && UntrustedText.NeedsCleaning(text.Text))
            {
                text.SetText(System.Text.Encoding.UTF8, UntrustedText.Clean(text.Text));
            }
        }
    }

    private static void CleanHeaders(HeaderList headers)
    {
        foreach (var header in headers)
        {
            if (!MayNeedCleaning(header.RawValue))
            {
                continue;
            }
            if (UntrustedText.NeedsCleaning(header.Value))
            {
                header.Value = UntrustedText.Clean(header.Value);
            }
        }
    }

    /// <summary>
    /// Whether a header's value can decode to anything <see cref="UntrustedText"/> would clean: printable ASCII (with
    /// tabs and line breaks) and no encoded word ("=?") decodes to itself, so it cannot, and most headers are that. Only
    /// the others are decoded to look (a string or two a header, tens of thousands a minute when a mailbox catches up).
    /// </summary>
    private static bool MayNeedCleaning(byte[] raw) => raw.AsSpan().ContainsAnyExcept(PlainBytes) || raw.AsSpan().IndexOf("=?"u8) >= 0;

    /// <summary>
    /// Whether a text part can decode to anything <see cref="UntrustedText"/> would clean, judged on its stored bytes:
    /// printable ASCII (with tabs and line breaks) that is not transfer-encoded (or quoted-printable with no "=" escape
    /// in it), in a charset that reads ASCII as ASCII, decodes to itself, so it cannot. Most mail is that, and decoding
    /// a body only to look at it decoded every body twice (the classifier reads it again), large ones on the
    /// large-object heap.
    /// </summary>
    private static bool MayNeedCleaning(TextPart text)
    {
        if (text.Content is not { Stream: { CanSeek: true } stored } content || !ReadsAsciiAsAscii(text.ContentType.Charset))
        {
            return true;
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
                return true;
        }
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            stored.Position = 0;
            int read;
            while ((read = stored.Read(buffer, 0, buffer.Length)) > 0)
            {
                var chunk = buffer.AsSpan(0, read);
                if (chunk.ContainsAnyExcept(PlainBytes) || (escapes && chunk.Contains((byte)'=')))
                {
                    return true;
                }
            }
            return false;
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

    private static readonly SearchValues<byte> PlainBytes =
        SearchValues.Create([(byte)'\t', (byte)'\r', (byte)'\n', .. Enumerable.Range(' ', '~' - ' ' + 1).Select(b => (byte)b)]);
}
