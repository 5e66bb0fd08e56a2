using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Ganss.Xss;
using MimeKit;
using MimeKit.Tnef;

namespace RecordsRequests.Features.Intake;

/// <summary>
/// Reads the human content of a message: the text body (preferred), else the HTML body sanitized and flattened to text,
/// else the body inside an Outlook winmail.dat (TNEF); attachments, including those packed in winmail.dat; and, when a
/// district employee forwarded the request, the original sender.
/// </summary>
public static partial class MailContent
{
    /// <summary>Longer descriptions are cut here; the full text stays in the stored original.</summary>
    public const int MaxDescriptionLength = 20000;

    private static readonly HtmlSanitizer Sanitizer = CreateSanitizer();

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer();
        // Inline images in mail reference their MIME part as cid:…; keep them so a sanitized body still shows them.
        sanitizer.AllowedSchemes.Add("cid");
        return sanitizer;
    }

    public static string SanitizeHtml(string html) => Sanitizer.Sanitize(html);

    /// <summary>Sanitized HTML flattened to plain text, with line breaks where blocks end.</summary>
    public static string HtmlToText(string html)
    {
        var document = new HtmlParser().ParseDocument(SanitizeHtml(html));
        var text = new StringBuilder();
        Flatten(document.Body, text);
        return CollapseBlankLines(text.ToString());
    }

    private static void Flatten(INode? node, StringBuilder text)
    {
        if (node is null)
        {
            return;
        }
        foreach (var child in node.ChildNodes)
        {
            if (child is IText t)
            {
                text.Append(Whitespace().Replace(t.Data, " "));
            }
            else if (child is IElement element)
            {
                var name = element.LocalName;
                if (name == "br")
                {
                    text.Append('\n');
                    continue;
                }
                Flatten(element, text);
                if (name is "p" or "div" or "li" or "tr" or "h1" or "h2" or "h3" or "h4" or "h5" or "h6" or "blockquote" or "pre" or "table" or "ul" or "ol")
                {
                    text.Append('\n');
                }
            }
        }
    }

    /// <summary>The readable body of a message, or an empty string.</summary>
    public static string BodyText(MimeMessage message)
    {
        // Most mail is one plain-text part whose stored bytes are its text (as MimeKit's TextBody would read it): it is
        // read from them straight into the collapsed copy, not decoded into a string to be copied again.
        if (message.Body is TextPart { IsPlain: true, IsAttachment: false } only && StoredText.RentText(only, out var length) is { } stored)
        {
            try
            {
                return CollapseBlankLines(stored.AsSpan(0, length));
            }
            finally
            {
                System.Buffers.ArrayPool<char>.Shared.Return(stored);
            }
        }
        if (message.TextBody is { } plain && !string.IsNullOrWhiteSpace(plain))
        {
            return CollapseBlankLines(plain);
        }
        if (message.HtmlBody is { } html && !string.IsNullOrWhiteSpace(html))
        {
            return HtmlToText(html);
        }
        foreach (var tnef in message.BodyParts.OfType<TnefPart>())
        {
            var inner = tnef.ConvertToMessage();
            if (inner.TextBody is { } innerText && !string.IsNullOrWhiteSpace(innerText))
            {
                return CollapseBlankLines(innerText);
            }
            if (inner.HtmlBody is { } innerHtml && !string.IsNullOrWhiteSpace(innerHtml))
            {
                return HtmlToText(innerHtml);
            }
        }
        return "";
    }

    /// <summary>Every attachment, with winmail.dat unpacked into the files it carries.</summary>
    public static IReadOnlyList<MailAttachment> Attachments(MimeMessage message)
    {
        var result = new List<MailAttachment>();
        var index = 0;
        foreach (var entity in message.BodyParts)
        {
            index++;
            switch (entity)
            {
                case TnefPart tnef:
                    foreach (var packed in tnef.ExtractAttachments().OfType<MimePart>())
                    {
                        result.Add(Decode(packed, $"winmail-attachment-{index}"));
                    }
                    break;
                case MessagePart attachedMessage when attachedMessage.Message is not null:
                    using (var stream = new MemoryStream())
                    {
                        attachedMessage.Message.WriteTo(stream);
                        var name = attachedMessage.ContentDisposition?.FileName ?? SafeName(attachedMessage.Message.Subject, index) + ".eml";
                        result.Add(new MailAttachment(name, "message/rfc822", stream.ToArray()));
                    }
                    break;
                case MimePart part when IsAttachment(part):
                    result.Add(Decode(part, $"attachment-{index}"));
                    break;
            }
        }
        return result;
    }

    // Body alternatives (text/plain, text/html without a file name) are the message itself, not attachments.
    private static bool IsAttachment(MimePart part) =>
        part.IsAttachment || part.FileName is not null || !(part.ContentType.IsMimeType("text", "plain") || part.ContentType.IsMimeType("text", "html"));

    private static MailAttachment Decode(MimePart part, string fallbackName)
    {
        using var stream = new MemoryStream();
        part.Content?.DecodeTo(stream);
        var name = string.IsNullOrWhiteSpace(part.FileName) ? fallbackName : Path.GetFileName(part.FileName.Replace('\\', '/'));
        return new MailAttachment(string.IsNullOrWhiteSpace(name) ? fallbackName : name, part.ContentType.MimeType, stream.ToArray());
    }

    private static string SafeName(string? subject, int index)
    {
        var name = string.Concat((subject ?? "").Where(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '_')).Trim();
        return name.Length == 0 ? $"message-{index}" : name.Length > 60 ? name[..60] : name;
    }

    /// <summary>
    /// The request inside a forward. Recognises the forward headers Gmail, Outlook, Apple Mail and Thunderbird write
    /// into the body, and a forward sent as an attached message.
    /// </summary>
    public static ForwardedRequest? FindForwarded(MimeMessage message, string bodyText)
    {
        var marker = ForwardMarker().Match(bodyText);
        if (marker.Success)
        {
            var block = bodyText[(marker.Index + marker.Length)..];
            var lines = block.Split('\n');
            MailboxAddress? sender = null;
            string? subject = null;
            string? sent = null;
            var i = 0;
            // The quoted header block: From/Sent/Date/To/Cc/Subject lines, up to the first blank line after a From.
            for (; i < lines.Length && i < 15; i++)
            {
                var line = lines[i].Trim().Trim('*');
                if (line.Length == 0)
                {
                    if (sender is not null)
                    {
                        break;
                    }
                    continue;
                }
                var from = QuotedFrom().Match(line);
                if (from.Success)
                {
                    sender = ParseQuotedSender(from.Groups[1].Value);
                    continue;
                }
                var quotedSubject = QuotedSubject().Match(line);
                if (quotedSubject.Success)
                {
                    subject = quotedSubject.Groups[1].Value.Trim();
                }
                var quotedDate = QuotedDate().Match(line);
                if (quotedDate.Success)
                {
                    sent = quotedDate.Groups[1].Value.Trim();
                }
            }
            if (sender is not null)
            {
                var description = string.Join('\n', lines.Skip(i)).Trim();
                return new ForwardedRequest(sender.Name, sender.Address, subject, description, sent);
            }
        }
        var attached = message.BodyParts.OfType<MessagePart>().Select(p => p.Message).FirstOrDefault(m => m?.From.Mailboxes.Any() == true);
        if (attached is not null)
        {
            var original = attached.From.Mailboxes.First();
            return new ForwardedRequest(NullIfEmpty(original.Name), original.Address, attached.Subject, BodyText(attached),
                AttachedSent: attached.Headers.Contains(HeaderId.Date) ? attached.Date : null);
        }
        return null;
    }

    private static MailboxAddress? ParseQuotedSender(string value)
    {
        // Outlook writes "Name [mailto:a@b]"; others "Name <a@b>" or a bare address.
        var normalized = MailtoBracket().Replace(value, "<$1>");
        if (MailboxAddress.TryParse(normalized, out var mailbox) && mailbox.Address.Contains('@', StringComparison.Ordinal))
        {
            return new MailboxAddress(NullIfEmpty(mailbox.Name?.Trim('"', ' ')), mailbox.Address);
        }
        var address = AnAddress().Match(value);
        return address.Success ? new MailboxAddress(null, address.Value) : null;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>
    /// The text trimmed, with its line breaks (CRLF, CR, LF) written as LF and every run of three or more, with only
    /// spaces and tabs between them, cut to one blank line. In one pass and one string: a body read from a large
    /// message was copied four times over by a replace for each rule and a trim.
    /// </summary>
    public static string CollapseBlankLines(string text) => CollapseBlankLines(text.AsSpan());

    /// <inheritdoc cref="CollapseBlankLines(string)"/>
    public static string CollapseBlankLines(ReadOnlySpan<char> text)
    {
        // Trimming first is the same as trimming last: the rules change only whitespace, into whitespace.
        var rest = text.Trim();
        var buffer = System.Buffers.ArrayPool<char>.Shared.Rent(Math.Max(1, rest.Length));
        try
        {
            var written = 0;
            while (!rest.IsEmpty)
            {
                var lineBreak = rest.IndexOfAny('\r', '\n');
                if (lineBreak < 0)
                {
                    lineBreak = rest.Length;
                }
                rest[..lineBreak].CopyTo(buffer.AsSpan(written));
                written += lineBreak;
                rest = rest[lineBreak..];
                // The run of line breaks from here, with the spaces and tabs between them; it ends after its last break.
                var breaks = 0;
                var runLength = 0;
                for (var i = 0; i < rest.Length;)
                {
                    if (rest[i] is '\r' or '\n')
                    {
                        i += rest[i] == '\r' && i + 1 < rest.Length && rest[i + 1] == '\n' ? 2 : 1;
                        breaks++;
                        runLength = i;
                    }
                    else if (rest[i] is ' ' or '\t')
                    {
                        i++;
                    }
                    else
                    {
                        break;
                    }
                }
                if (breaks >= 3)
                {
                    buffer[written++] = '\n';
                    buffer[written++] = '\n';
                }
                else
                {
                    for (var i = 0; i < runLength; i++)
                    {
                        // CRLF and a lone CR alike are written LF.
                        buffer[written++] = rest[i] == '\r' ? '\n' : rest[i];
                        i += rest[i] == '\r' && i + 1 < runLength && rest[i + 1] == '\n' ? 1 : 0;
                    }
                }
                rest = rest[runLength..];
            }
            return new string(buffer, 0, written);
        }
        finally
        {
            System.Buffers.ArrayPool<char>.Shared.Return(buffer);
        }
    }

    public static string Truncate(string description) =>
        description.Length <= MaxDescriptionLength ? description : description[..MaxDescriptionLength] + "\n[… truncated; the full text is in the original message]";

    [GeneratedRegex(@"^[ \t>]*(-{2,}\s*Forwarded message\s*-{2,}|-{2,}\s*Original Message\s*-{2,}|Begin forwarded message:|-{2,}\s*Forwarded Message\s*-{2,}|-{2,}\s*Weitergeleitete Nachricht\s*-{2,})\s*$",
        RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex ForwardMarker();

    [GeneratedRegex(@"^(?:>\s*)?(?:From|Von|De)\s*:\s*(.+)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex QuotedFrom();

    [GeneratedRegex(@"^(?:>\s*)?(?:Subject|Betreff|Objet)\s*:\s*(.*)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex QuotedSubject();

    [GeneratedRegex(@"^(?:>\s*)?(?:Date|Sent|Datum|Gesendet|Envoyé)\s*:\s*(.+)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex QuotedDate();

    [GeneratedRegex(@"\[mailto:([^\]]+)\]", RegexOptions.IgnoreCase)]
    private static partial Regex MailtoBracket();

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")]
    private static partial Regex AnAddress();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
