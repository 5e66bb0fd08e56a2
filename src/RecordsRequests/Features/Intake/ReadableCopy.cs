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
            // Decoded to look only when its stored bytes are not already its text.
            if (entity is TextPart text && !text.IsAttachment && !StoredText.IsItsText(text) && UntrustedText.NeedsCleaning(text.Text))
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
    private static bool MayNeedCleaning(byte[] raw) => raw.AsSpan().ContainsAnyExcept(StoredText.PlainBytes) || raw.AsSpan().IndexOf("=?"u8) >= 0;
}
