using MimeKit;
using RecordsRequests.Features.Shared;

namespace RecordsRequests.Features.Intake;

/// <summary>
/// Parses untrusted mail with explicit limits: a size cap, a cap on header fields checked on the raw bytes before MimeKit
/// sees them, MimeKit's MIME depth and address-group depth limits, tolerant (not strict) compliance modes, and the
/// caller's cancellation for the per-message time limit.
/// </summary>
public sealed class MailParser(IntakeOptions options)
{
    static MailParser()
    {
        // Windows code pages (1252 and friends) are not in .NET by default; Outlook's winmail.dat and much older mail use them.
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
    }

    private readonly ParserOptions _parserOptions = new()
    {
        MaxMimeDepth = options.MaxMimeDepth,
        MaxAddressGroupDepth = 3,
        AddressParserComplianceMode = RfcComplianceMode.Looser,
        ParameterComplianceMode = RfcComplianceMode.Looser,
        Rfc2047ComplianceMode = RfcComplianceMode.Looser,
        AllowAddressesWithoutDomain = false,
        // A Content-Length header is a claim by the sender; the MIME boundaries decide where a part ends.
        RespectContentLength = false,
    };

    public ParseResult Parse(byte[] raw, CancellationToken cancellationToken)
    {
        if (raw.Length == 0)
        {
            return new ParseResult(null, "empty message");
        }
        if (raw.LongLength > options.MaxMessageBytes)
        {
            return new ParseResult(null, $"message is {raw.LongLength} bytes, over the limit of {options.MaxMessageBytes}");
        }
        var headerProblem = HeaderLimits.Check(raw, options.MaxHeaderCount, options.MaxHeaderLength);
        if (headerProblem is not null)
        {
            return new ParseResult(null, headerProblem);
        }
        try
        {
            // Classic Mac mail ends lines with a bare CR, which MimeKit does not read as a line break. Such a message
            // (CR but no LF at all) is parsed from a CRLF copy; the stored original keeps its exact bytes.
            if (Array.IndexOf(raw, (byte)'\n') < 0 && Array.IndexOf(raw, (byte)'\r') >= 0)
            {
                raw = System.Text.Encoding.Latin1.GetBytes(System.Text.Encoding.Latin1.GetString(raw).Replace("\r", "\r\n"));
            }
            // Persistent: each part's content is a window onto the raw bytes, which intake holds while it reads the message,
            // instead of a copy of them (one more copy of every message, 3 % of what a catch-up allocated). So the stream
            // is not disposed: the parts read from it for as long as the message is used.
            var stream = new MemoryStream(raw, writable: false);
            var message = MimeMessage.Load(_parserOptions, stream, persistent: true, cancellationToken);
            // MimeKit stops descending at its depth limit and keeps what lies below as one opaque part: the text down
            // there would be lost without a word, so such a message is put before an officer instead.
            if (DepthOf(message.Body, 1) >= options.MaxMimeDepth)
            {
                return new ParseResult(null, $"its parts are nested deeper than the limit of {options.MaxMimeDepth} levels, so part of it could not be read");
            }
            ReadableCopy.Clean(message);
            return new ParseResult(message, null);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception e) when (e is FormatException or ParseException or ArgumentException or InvalidOperationException or NotSupportedException or IOException)
        {
            return new ParseResult(null, $"not a readable e-mail message: {e.Message}");
        }
    }

    /// <summary>
    /// Who a message says it is from and what it is about, from its header block alone: so a message that could not be
    /// read whole still shows its sender and subject on the quarantine list. Null where the header cannot be read.
    /// </summary>
    public MessageHeadline? Headline(byte[] raw)
    {
        if (raw.Length == 0 || raw.LongLength > options.MaxMessageBytes || HeaderLimits.Check(raw, options.MaxHeaderCount, options.MaxHeaderLength) is not null)
        {
            return null;
        }
        try
        {
            using var stream = new MemoryStream(raw, writable: false);
            var headers = HeaderList.Load(_parserOptions, stream);
            string? Value(HeaderId id) => headers[id] is { } value ? UntrustedText.Clean(value).Trim() : null;
            var from = headers[HeaderId.From] is { } written && InternetAddressList.TryParse(_parserOptions, written, out var list)
                ? list.Mailboxes.FirstOrDefault()?.Address
                : null;
            var messageId = Value(HeaderId.MessageId)?.Trim('<', '>');
            return new MessageHeadline(messageId, Value(HeaderId.Subject), UntrustedText.CleanOrNull(from));
        }
        catch (Exception e) when (e is FormatException or ParseException or ArgumentException or InvalidOperationException or IOException)
        {
            return null;
        }
    }

    /// <summary>How many levels deep the message's parts go (the top-level body is level 1; a forwarded message adds its own levels).</summary>
    private static int DepthOf(MimeEntity? entity, int level) => entity switch
    {
        Multipart multipart => multipart.Count == 0 ? level : multipart.Max(child => DepthOf(child, level + 1)),
        MessagePart { Message: { } inner } => DepthOf(inner.Body, level + 1),
        _ => level,
    };
}
