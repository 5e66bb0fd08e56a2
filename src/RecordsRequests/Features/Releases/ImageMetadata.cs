using System.Buffers.Binary;

namespace RecordsRequests.Features.Releases;

/// <summary>
/// Metadata pictures carry inside a document: a photo pasted into a memo keeps its camera's EXIF block (the owner's
/// name, the time, often GPS coordinates of a family's home) and editors add XMP and comments. The pixels stay; JPEG
/// APP1-APP13 and APP15 segments, comments and bytes after the picture's end, and PNG text, EXIF and time chunks and bytes after the end go. JPEG APP0 (JFIF), APP2 (the
/// colour profile) and APP14 (Adobe colour transform) stay: without them colours change.
/// </summary>
internal static class ImageMetadata
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly HashSet<string> PngMetadataChunks = new(StringComparer.Ordinal) { "tEXt", "zTXt", "iTXt", "eXIf", "tIME" };

    public enum Kind { Jpeg, Png, Other }

    public static Kind KindOf(ReadOnlySpan<byte> image) =>
        image.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8]) ? Kind.Jpeg : image.StartsWith(PngSignature) ? Kind.Png : Kind.Other;

    /// <summary>The picture without its metadata; the same bytes when there is none or the format is not JPEG or PNG.</summary>
    /// <exception cref="InvalidDataException">A JPEG or PNG whose structure cannot be followed.</exception>
    public static byte[] Strip(byte[] image) => KindOf(image) switch
    {
        Kind.Jpeg => Filter(image, JpegSegments(image), IsJpegMetadata),
        Kind.Png => Filter(image, PngChunks(image), name => PngMetadataChunks.Contains(name)),
        _ => image,
    };

    public static bool HasMetadata(byte[] image) => KindOf(image) switch
    {
        Kind.Jpeg => JpegSegments(image).Any(s => IsJpegMetadata(s.Name)),
        Kind.Png => PngChunks(image).Any(c => PngMetadataChunks.Contains(c.Name)),
        _ => false,
    };

    private static bool IsJpegMetadata(string marker) =>
        marker is "FE" or "trailer" || marker.StartsWith('E') && marker is not ("E0" or "E2" or "EE");

    private static byte[] Filter(byte[] image, List<(string Name, int Start, int Length)> pieces, Func<string, bool> drop)
    {
        if (!pieces.Any(p => drop(p.Name)))
        {
            return image;
        }
        using var output = new MemoryStream(image.Length);
        foreach (var piece in pieces.Where(p => !drop(p.Name)))
        {
            output.Write(image, piece.Start, piece.Length);
        }
        return output.ToArray();
    }

    /// <summary>JPEG segments up to the first scan; the scan and everything after it is one piece named "scan".</summary>
    private static List<(string Name, int Start, int Length)> JpegSegments(byte[] image)
    {
        var pieces = new List<(string, int, int)> { ("D8", 0, 2) };
        var position = 2;
        while (position < image.Length)
        {
            if (image[position] != 0xFF || position + 1 >= image.Length)
            {
                throw new InvalidDataException("A JPEG picture's structure could not be followed.");
            }
            var marker = image[position + 1];
            if (marker == 0xFF)
            {
                position++; // fill byte
                continue;
            }
            if (marker is 0x01 or (>= 0xD0 and <= 0xD7))
            {
                pieces.Add((marker.ToString("X2", System.Globalization.CultureInfo.InvariantCulture), position, 2));
                position += 2;
                continue;
            }
            if (marker == 0xDA)
            {
                // Inside scan data 0xFF is always followed by 0x00 or a restart marker, so the first FF D9 ends the
                // picture. Bytes after it (phone makers append depth maps and originals there) are not the picture.
                var end = image.AsSpan(position).IndexOf((ReadOnlySpan<byte>)[0xFF, 0xD9]);
                var scan = end < 0 ? image.Length - position : end + 2;
                pieces.Add(("scan", position, scan));
                if (position + scan < image.Length)
                {
                    pieces.Add(("trailer", position + scan, image.Length - position - scan));
                }
                return pieces;
            }
            if (position + 4 > image.Length)
            {
                throw new InvalidDataException("A JPEG picture ends inside a segment header.");
            }
            var length = BinaryPrimitives.ReadUInt16BigEndian(image.AsSpan(position + 2));
            if (length < 2 || position + 2 + length > image.Length)
            {
                throw new InvalidDataException("A JPEG picture's segment runs past its end.");
            }
            pieces.Add((marker.ToString("X2", System.Globalization.CultureInfo.InvariantCulture), position, 2 + length));
            position += 2 + length;
        }
        return pieces;
    }

    private static List<(string Name, int Start, int Length)> PngChunks(byte[] image)
    {
        var pieces = new List<(string, int, int)> { ("signature", 0, PngSignature.Length) };
        var position = PngSignature.Length;
        while (position < image.Length)
        {
            if (position + 12 > image.Length)
            {
                throw new InvalidDataException("A PNG picture ends inside a chunk header.");
            }
            var length = BinaryPrimitives.ReadUInt32BigEndian(image.AsSpan(position));
            if (length > int.MaxValue - 12 || position + 12 + (long)length > image.Length)
            {
                throw new InvalidDataException("A PNG picture's chunk runs past its end.");
            }
            var name = System.Text.Encoding.ASCII.GetString(image, position + 4, 4);
            pieces.Add((name, position, 12 + (int)length));
            position += 12 + (int)length;
            if (name == "IEND")
            {
                break;
            }
        }
        return pieces;
    }
}
