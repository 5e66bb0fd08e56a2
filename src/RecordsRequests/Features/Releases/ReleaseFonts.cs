using PdfSharp.Fonts;

namespace RecordsRequests.Features.Releases;

/// <summary>
/// PDFsharp on Linux has no system font lookup (stack-probes.md): every release is typeset in DejaVu Sans, from the
/// fonts-dejavu-core package (ops/test installs it; the Docker image must too) or a fonts/ folder beside the app.
/// </summary>
public sealed class ReleaseFonts : IFontResolver
{
    public const string Family = "DejaVu Sans";

    private static readonly string[] Folders = [Path.Combine(AppContext.BaseDirectory, "fonts"), "/usr/share/fonts/truetype/dejavu"];
    private static readonly Lock Gate = new();

    /// <summary>The regular face's file, for painting labels into page pictures.</summary>
    public static string RegularPath => Folders.Select(folder => Path.Combine(folder, "DejaVuSans.ttf")).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException($"Font DejaVuSans.ttf not found in {string.Join(" or ", Folders)}; install fonts-dejavu-core.");

    public static void Install()
    {
        lock (Gate)
        {
            if (GlobalFontSettings.FontResolver is not ReleaseFonts)
            {
                GlobalFontSettings.FontResolver = new ReleaseFonts();
            }
        }
    }

    public FontResolverInfo ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(bold ? "DejaVuSans-Bold" : "DejaVuSans");

    public byte[] GetFont(string faceName)
    {
        foreach (var folder in Folders)
        {
            var path = Path.Combine(folder, faceName + ".ttf");
            if (File.Exists(path))
            {
                return File.ReadAllBytes(path);
            }
        }
        throw new InvalidOperationException($"Font {faceName}.ttf not found in {string.Join(" or ", Folders)}; install fonts-dejavu-core.");
    }
}
