using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using DocumentFormat.OpenXml.Packaging;
using MimeKit;
using UglyToad.PdfPig;

namespace RecordsRequests.Features.Archive;

/// <summary>Turns stored originals (RFC 822 messages, PDF, DOCX, plain text, HTML) into <see cref="ArchiveContent"/>.</summary>
public static partial class ContentExtractor
{
    /// <summary>Document types imported as items of their own and read inside message attachments.</summary>
    public static readonly IReadOnlyDictionary<string, string> DocumentTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".pdf"] = "application/pdf",
        [".docx"] = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        [".txt"] = "text/plain",
        [".htm"] = "text/html",
        [".html"] = "text/html",
    };

    public static ArchiveContent FromMessage(MimeMessage message)
    {
        var attachments = new List<ArchiveAttachment>();
        foreach (var part in message.Attachments.OfType<MimePart>())
        {
            var name = part.FileName ?? "attachment";
            using var buffer = new MemoryStream();
            part.Content?.DecodeTo(buffer);
            var (text, pages) = ReadDocument(name, part.ContentType.MimeType, buffer.ToArray());
            attachments.Add(new ArchiveAttachment(name, text, pages));
        }
        foreach (var attached in message.Attachments.OfType<MessagePart>())
        {
            if (attached.Message is { } inner)
            {
                var content = FromMessage(inner);
                attachments.Add(new ArchiveAttachment(inner.Subject ?? "message.eml", $"{content.Subject}\n{content.From}\n{content.Body}", content.EstimatedPages));
            }
        }
        var body = message.TextBody ?? (message.HtmlBody is { } html ? StripHtml(html) : "");
        return new ArchiveContent(
            MessageId: NormalizeMessageId(message.MessageId),
            ThreadId: ThreadOf(message),
            Subject: message.Subject ?? "",
            From: Addresses(message.From),
            To: Addresses(message.To),
            Cc: Addresses(message.Cc),
            Bcc: Addresses(message.Bcc),
            SentAt: message.Date == DateTimeOffset.MinValue ? null : message.Date.ToUniversalTime(),
            Body: body,
            Attachments: attachments);
    }

    /// <summary>A parser per thread, given each message in turn: a new one per message allocated its buffers again and
    /// grew its header buffer again, a tenth of an import's byte arrays.</summary>
    [ThreadStatic]
    private static MimeParser? _parser;

    public static ArchiveContent FromMessageBytes(byte[] raw)
    {
        using var stream = new MemoryStream(raw, writable: false);
        var parser = _parser ??= new MimeParser(ParserOptions.Default, Stream.Null, MimeFormat.Entity);
        // What MimeMessage.Load(stream) does, on a parser that is reused.
        parser.SetStream(stream, MimeFormat.Entity);
        try
        {
            return FromMessage(parser.ParseMessage());
        }
        finally
        {
            // Not kept alive by the thread's parser until the next message.
            parser.SetStream(Stream.Null, MimeFormat.Entity);
        }
    }

    /// <summary>A document imported on its own: the file name stands in for a subject, its last change for a date.</summary>
    public static ArchiveContent FromDocument(string fileName, byte[] content, DateTimeOffset? modifiedAt)
    {
        var (text, _) = ReadDocument(fileName, null, content);
        return new ArchiveContent(null, null, fileName, "", "", "", "", modifiedAt?.ToUniversalTime(), text, []);
    }

    /// <summary>Text and page count of a PDF, DOCX, text or HTML file; other types are indexed by name only.</summary>
    public static (string Text, int Pages) ReadDocument(string fileName, string? mimeType, byte[] content)
    {
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        if (extension == ".pdf" || mimeType == "application/pdf")
        {
            using var pdf = PdfDocument.Open(content);
            var text = new StringBuilder();
            foreach (var page in pdf.GetPages())
            {
                text.AppendLine(page.Text);
            }
            return (text.ToString(), pdf.NumberOfPages);
        }
        if (extension == ".docx" || mimeType == DocumentTypes[".docx"])
        {
            using var stream = new MemoryStream(content, writable: false);
            using var document = WordprocessingDocument.Open(stream, isEditable: false);
            var body = document.MainDocumentPart?.Document?.Body;
            var text = body is null ? "" : string.Join("\n", body.Elements<DocumentFormat.OpenXml.Wordprocessing.Paragraph>().Select(p => p.InnerText));
            return (text, ArchiveContent.PagesOfText(text.Length));
        }
        if (extension is ".htm" or ".html" || mimeType == "text/html")
        {
            var text = StripHtml(Decode(content));
            return (text, ArchiveContent.PagesOfText(text.Length));
        }
        if (extension is ".txt" or ".csv" || mimeType is not null && mimeType.StartsWith("text/", StringComparison.OrdinalIgnoreCase))
        {
            var text = Decode(content);
            return (text, ArchiveContent.PagesOfText(text.Length));
        }
        return ("", 1);
    }

    /// <summary>Message-IDs are compared without angle brackets and case-insensitively (RFC 5322 ids are opaque, but
    /// exporters disagree on case in the domain part).</summary>
    public static string? NormalizeMessageId(string? messageId)
    {
        var trimmed = messageId?.Trim().Trim('<', '>').Trim();
        return string.IsNullOrEmpty(trimmed) ? null : trimmed.ToLowerInvariant();
    }

    /// <summary>A conversation is named by its first message: the first References id, else In-Reply-To, else itself.</summary>
    private static string? ThreadOf(MimeMessage message) =>
        NormalizeMessageId(message.References.FirstOrDefault()) ?? NormalizeMessageId(message.InReplyTo) ?? NormalizeMessageId(message.MessageId);

    private static string Addresses(InternetAddressList list) =>
        string.Join(", ", list.Mailboxes.Select(m => string.IsNullOrEmpty(m.Name) ? m.Address : $"{m.Name} <{m.Address}>"));

    private static string Decode(byte[] content)
    {
        using var reader = new StreamReader(new MemoryStream(content, writable: false), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    /// <summary>Removes scripts, styles and tags and decodes entities; good enough to index, never shown as HTML.</summary>
    public static string StripHtml(string html)
    {
        var withoutCode = ScriptOrStyle().Replace(html, " ");
        var withoutTags = Tag().Replace(withoutCode, " ");
        return Whitespace().Replace(WebUtility.HtmlDecode(withoutTags), " ").Trim();
    }

    [GeneratedRegex(@"<(script|style)\b[^>]*>.*?</\1\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex ScriptOrStyle();

    [GeneratedRegex(@"<[^>]*>", RegexOptions.Singleline)]
    private static partial Regex Tag();

    [GeneratedRegex(@"[ \t\r\f\v]*\n\s*|[ \t\r\f\v]{2,}")]
    private static partial Regex Whitespace();
}
