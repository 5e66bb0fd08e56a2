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
            if (entity is TextPart text && !text.IsAttachment && UntrustedText.NeedsCleaning(text.Text))
            {
                text.SetText(System.Text.Encoding.UTF8, UntrustedText.Clean(text.Text));
            }
        }
    }

    private static void CleanHeaders(HeaderList headers)
    {
        foreach (var header in headers)
        {
            if (UntrustedText.NeedsCleaning(header.Value))
            {
                header.Value = UntrustedText.Clean(header.Value);
            }
        }
    }
}
