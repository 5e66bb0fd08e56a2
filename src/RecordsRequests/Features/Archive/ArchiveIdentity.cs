using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace RecordsRequests.Features.Archive;

/// <summary>
/// What makes two archived copies the same message, whatever route brought them in. A message collected from Microsoft
/// Graph (<c>$value</c>), from the Gmail API, from a Google Vault mbox or from a .pst differs in bytes: each export adds
/// or drops its own headers (Received, X-Gmail-Labels, X-MS-Exchange-*), changes line endings or quotes "From " lines.
/// So a message is identified by what every copy keeps:
/// <list type="bullet">
/// <item>its Message-ID, when it has a well-formed one (<c>local@domain</c>), together with its Date to the second and
/// its sender's address. Message-IDs are chosen by the sending software and are not checked by anyone: a careless
/// mailer or a forger can give two different messages the same one. Date and sender keep such messages apart unless the
/// forger copied those too, and then the kept copy is still one of them and every source is still listed;</item>
/// <item>otherwise, the SHA-256 of its normalised headers (sender, recipients, subject, date, decoded) and text, with
/// whitespace and line endings folded and mbox "&gt;From " quoting undone, so the same message without a Message-ID
/// from two exports is still one;</item>
/// <item>for a document (not a message), the SHA-256 of its bytes.</item>
/// </list>
/// The identity is kept as a hash (64 hex characters) so it is one short, uniquely indexed column. The migration
/// <c>ArchiveMessageIdentity</c> computes the first form for items imported before, from their stored columns, by the
/// same rules written in SQL (items without a well-formed Message-ID keep their SHA-256 there); the integration test
/// ArchiveIdentityTests runs that SQL against this code.
/// </summary>
public static partial class ArchiveIdentity
{
    public static string Of(ArchiveItemKind kind, ArchiveContent content, string sha256)
    {
        if (kind == ArchiveItemKind.Document)
        {
            return sha256;
        }
        var messageId = content.MessageId is null ? null : Truncated(content.MessageId, 998);
        return messageId is not null && WellFormed(messageId)
            ? Hash(ByMessageId(messageId, content.SentAt, content.From))
            : Hash(ByContent(content));
    }

    /// <summary>A Message-ID as the archive keeps it (lower case, no angle brackets) that has the form local@domain.</summary>
    public static bool WellFormed(string normalizedMessageId) => MessageIdForm().IsMatch(normalizedMessageId);

    /// <summary>The text hashed for a message with a Message-ID. The migration builds the same text in SQL.</summary>
    internal static string ByMessageId(string messageId, DateTimeOffset? sentAt, string from) =>
        string.Join('\n', "message-id", messageId,
            sentAt?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "",
            SenderAddress(Truncated(from, 500)));

    /// <summary>
    /// The sender's address from the archive's sender text ("Name &lt;address&gt;, …" or "address, …"): the first
    /// address in angle brackets, else the first entry; lower case. Display names are left out, since exports re-encode them.
    /// </summary>
    internal static string SenderAddress(string from)
    {
        var bracketed = FirstBracketed().Match(from);
        var address = bracketed.Success ? bracketed.Groups[1].Value : from.Split(',')[0];
        return address.Trim().ToLowerInvariant();
    }

    private static string ByContent(ArchiveContent content)
    {
        var text = new StringBuilder("content\n");
        foreach (var part in new[] { content.From, content.To, content.Cc, content.Subject })
        {
            text.Append(Fold(part)).Append('\n');
        }
        text.Append(content.SentAt?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "").Append('\n');
        text.Append(Fold(QuotedFrom().Replace(content.Body, "$1")));
        foreach (var attachment in content.Attachments)
        {
            text.Append('\n').Append(Fold(attachment.FileName)).Append('\n').Append(Fold(attachment.Text));
        }
        return text.ToString();
    }

    /// <summary>Runs of whitespace (line endings, folding, trailing spaces an export adds or drops) become one space.</summary>
    private static string Fold(string value) => Whitespace().Replace(value, " ").Trim();

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string Truncated(string value, int length) => value.Length <= length ? value : value[..length];

    [GeneratedRegex(@"^[^<>@\s]+@[^<>@\s]+$")]
    private static partial Regex MessageIdForm();

    [GeneratedRegex(@"<([^<>]*)>")]
    private static partial Regex FirstBracketed();

    /// <summary>mboxrd quoting: a body line "From …" is written "&gt;From …" (and "&gt;From" as "&gt;&gt;From"); one "&gt;" is undone.</summary>
    [GeneratedRegex(@"(?m)^>(>*From )")]
    private static partial Regex QuotedFrom();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
