using MimeKit;

namespace RecordsRequests.Features.Intake;

/// <summary>The outcome of parsing one message: either a MIME message or the reason it could not be read.</summary>
public sealed record ParseResult(MimeMessage? Message, string? Failure)
{
    public bool Succeeded => Message is not null;
}

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
            using var stream = new MemoryStream(raw, writable: false);
            var message = MimeMessage.Load(_parserOptions, stream, persistent: false, cancellationToken);
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
}

/// <summary>Counts header fields on the raw bytes, so a header bomb is refused before any parsing work is done.</summary>
public static class HeaderLimits
{
    public static string? Check(ReadOnlySpan<byte> raw, int maxFields, int maxFieldLength)
    {
        var fields = 0;
        var fieldLength = 0;
        var lineStart = true;
        for (var i = 0; i < raw.Length; i++)
        {
            var b = raw[i];
            if (lineStart)
            {
                // A blank line (LF or CRLF) ends the header block; a bare CR is left to MimeKit's tolerant parser.
                if (b is (byte)'\n' || (b is (byte)'\r' && i + 1 < raw.Length && raw[i + 1] is (byte)'\n'))
                {
                    return null;
                }
                if (b is not ((byte)' ' or (byte)'\t'))
                {
                    fields++;
                    fieldLength = 0;
                    if (fields > maxFields)
                    {
                        return $"more than {maxFields} header fields";
                    }
                }
                lineStart = false;
            }
            fieldLength++;
            if (fieldLength > maxFieldLength)
            {
                return $"a header field longer than {maxFieldLength} bytes";
            }
            if (b is (byte)'\n')
            {
                lineStart = true;
            }
        }
        return null;
    }
}
