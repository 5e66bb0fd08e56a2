namespace RecordsRequests.Features.Archive;

/// <summary>
/// Cuts an mbox file into its messages without parsing them, so that parsing can run on every core while one thread
/// reads. It cuts exactly where MimeKit's mbox parser does (a unit test compares the two on the Enron corpus), so a
/// message's bytes, and therefore its SHA-256 and its archive item, are the same as when MimeKit split the file: a
/// message starts after a line beginning "From " and ends before the line break that precedes the next such line.
/// The file is read in large sequential blocks; memory holds one block and the message being cut.
/// </summary>
public static class MboxReader
{
    private const int BlockSize = 1 << 20;

    private static ReadOnlySpan<byte> Separator => "\nFrom "u8;

    /// <param name="from">0, or the offset of a "From " line to start at (a resumed import's checkpoint).</param>
    public static IEnumerable<MboxMessage> Read(string file, long from = 0)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        stream.Position = from;
        var buffer = new byte[BlockSize];
        var filled = 0;
        var bufferOffset = from;
        var start = 0;
        var ended = false;

        // Keeps [start, filled) and reads more after it; the buffer grows when one message is larger than it.
        void ReadMore()
        {
            if (start > 0)
            {
                Buffer.BlockCopy(buffer, start, buffer, 0, filled - start);
                filled -= start;
                bufferOffset += start;
                start = 0;
            }
            if (filled == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }
            var read = stream.Read(buffer, filled, buffer.Length - filled);
            if (read == 0)
            {
                ended = true;
            }
            filled += read;
        }

        // Whatever precedes the first separator line is not a message (MimeKit skips it too).
        if (from == 0)
        {
            while (!ended && filled < Separator.Length)
            {
                ReadMore();
            }
            if (!buffer.AsSpan(0, filled).StartsWith(Separator[1..]))
            {
                int first;
                while ((first = buffer.AsSpan(start, filled - start).IndexOf(Separator)) < 0 && !ended)
                {
                    start = Math.Max(start, filled - Separator.Length + 1);
                    ReadMore();
                }
                if (first < 0)
                {
                    throw new FormatException("This file has no \"From \" line: it is not an mbox.");
                }
                start += first + 1;
            }
        }
        else
        {
            while (!ended && filled < Separator.Length)
            {
                ReadMore();
            }
            if (!buffer.AsSpan(0, filled).StartsWith(Separator[1..]))
            {
                throw new InvalidDataException($"No message starts at byte {from}, where the last import of this file stopped: the file has changed since. Import it under a new name.");
            }
        }

        while (true)
        {
            if (start >= filled)
            {
                if (ended)
                {
                    yield break;
                }
                ReadMore();
                continue;
            }
            // The separator line of this message; lineEnd and searched are relative to start, which reading more moves.
            int lineEnd;
            while ((lineEnd = buffer.AsSpan(start, filled - start).IndexOf((byte)'\n')) < 0 && !ended)
            {
                ReadMore();
            }
            if (lineEnd < 0)
            {
                // A last separator line without a message after it.
                yield return new MboxMessage(bufferOffset + start, []);
                yield break;
            }
            // From the separator's own line break: a message can be empty, the next separator right after this one.
            var searched = lineEnd;
            int next;
            while ((next = buffer.AsSpan(start + searched, filled - start - searched).IndexOf(Separator)) < 0 && !ended)
            {
                // Search on from where this search stopped, less what could be the start of a separator cut by the block.
                searched = Math.Max(lineEnd, filled - start - Separator.Length + 1);
                ReadMore();
            }
            var bodyStart = start + lineEnd + 1;
            int end;
            int following;
            if (next >= 0)
            {
                end = start + searched + next;
                following = end + 1;
                // The line break before the next separator belongs to the mbox, not to the message.
                if (end > bodyStart && buffer[end - 1] == '\r')
                {
                    end--;
                }
            }
            else
            {
                end = filled;
                following = filled;
            }
            yield return new MboxMessage(bufferOffset + start, end > bodyStart ? buffer.AsSpan(bodyStart, end - bodyStart).ToArray() : []);
            start = following;
        }
    }
}
