using System.Globalization;

namespace RecordsRequests.Features.Documents;

/// <summary>An 8-bit grey picture read from a binary PGM file (P5), one byte a pixel, 0 black; its folder goes with it.</summary>
public sealed class GreyPicture : IDisposable
{
    private GreyPicture(int width, int height, byte[] pixels, string path, string folder) =>
        (Width, Height, Pixels, Path, Folder) = (width, height, pixels, path, folder);

    public int Width { get; }
    public int Height { get; }
    public byte[] Pixels { get; }
    public string Path { get; }
    public string Folder { get; }

    public byte this[int x, int y] => Pixels[y * Width + x];

    public static GreyPicture Read(string path, string folder)
    {
        var bytes = File.ReadAllBytes(path);
        // Header: "P5", width, height and the largest grey value, separated by white space (and comments), then one
        // white-space byte and the pixels.
        var position = 0;
        string Token()
        {
            while (position < bytes.Length && (char.IsWhiteSpace((char)bytes[position]) || bytes[position] == '#'))
            {
                if (bytes[position] == '#')
                {
                    while (position < bytes.Length && bytes[position] != '\n')
                    {
                        position++;
                    }
                }
                else
                {
                    position++;
                }
            }
            var start = position;
            while (position < bytes.Length && !char.IsWhiteSpace((char)bytes[position]))
            {
                position++;
            }
            return System.Text.Encoding.ASCII.GetString(bytes, start, position - start);
        }
        var magic = Token();
        var width = int.Parse(Token(), CultureInfo.InvariantCulture);
        var height = int.Parse(Token(), CultureInfo.InvariantCulture);
        var maximum = int.Parse(Token(), CultureInfo.InvariantCulture);
        position++;
        if (magic != "P5" || maximum != 255 || bytes.Length - position < (long)width * height)
        {
            throw new ConversionFailedException("A rendered page could not be read back.");
        }
        return new GreyPicture(width, height, bytes.AsSpan(position, width * height).ToArray(), path, folder);
    }

    public void Dispose()
    {
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }
}
