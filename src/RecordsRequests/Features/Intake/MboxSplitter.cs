namespace RecordsRequests.Features.Intake;

/// <summary>
/// Splits an mbox file into its messages' exact bytes. A message starts after a "From " separator line at the start of
/// the file or after a blank line (mboxo/mboxrd); the separator itself is the mailbox's, not the message's, and is left out.
/// </summary>
public static class MboxSplitter
{
    public static bool LooksLikeMbox(ReadOnlySpan<byte> content) => content.StartsWith("From "u8);

    public static IEnumerable<byte[]> Split(byte[] content)
    {
        if (!LooksLikeMbox(content))
        {
            yield return content;
            yield break;
        }
        var start = -1;
        var position = 0;
        while (position < content.Length)
        {
            var lineEnd = Array.IndexOf(content, (byte)'\n', position);
            var next = lineEnd < 0 ? content.Length : lineEnd + 1;
            if (IsSeparator(content, position))
            {
                if (start >= 0)
                {
                    yield return Slice(content, start, TrimSeparatorBlankLine(content, start, position));
                }
                start = next;
            }
            position = next;
        }
        if (start >= 0 && start < content.Length)
        {
            yield return Slice(content, start, content.Length);
        }
    }

    private static bool IsSeparator(byte[] content, int lineStart)
    {
        if (!content.AsSpan(lineStart).StartsWith("From "u8))
        {
            return false;
        }
        if (lineStart == 0)
        {
            return true;
        }
        // Preceded by an empty line: "\n\n" or "\n\r\n".
        return (lineStart >= 2 && content[lineStart - 1] == '\n' && content[lineStart - 2] == '\n')
            || (lineStart >= 3 && content[lineStart - 1] == '\n' && content[lineStart - 2] == '\r' && content[lineStart - 3] == '\n');
    }

    // The blank line before a separator belongs to the mbox format, not to the message.
    private static int TrimSeparatorBlankLine(byte[] content, int start, int end)
    {
        if (end - start >= 2 && content[end - 1] == '\n' && content[end - 2] == '\r')
        {
            return end - 2;
        }
        return end - start >= 1 && content[end - 1] == '\n' ? end - 1 : end;
    }

    private static byte[] Slice(byte[] content, int start, int end) => content.AsSpan(start, Math.Max(0, end - start)).ToArray();
}
