namespace RecordsRequests.Features.Intake;

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
