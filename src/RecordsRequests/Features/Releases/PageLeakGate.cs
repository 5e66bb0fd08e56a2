using Microsoft.Extensions.Options;
using RecordsRequests.Features.Documents;

namespace RecordsRequests.Features.Releases;

/// <summary>
/// The leak gate's second half, on the produced file itself, not on anything the writer kept in memory: every released
/// page with a box is rendered again by pdftoppm and each box must be solid (dark everywhere but its label, and its
/// label mostly dark, since white text on black is); and every page of a record that was read by OCR is read by OCR
/// again and searched for each withheld string, so a box that missed a scanned word is caught. Any hit blocks the release.
/// </summary>
public sealed class PageLeakGate(ExternalTools tools, PageReader reader, IOptions<DocumentOptions> options)
{
    private const int CheckDpi = 100;
    private const int OcrDpi = 300;
    /// <summary>Grey level (0 black, 255 white) a painted pixel may reach after anti-aliasing of its neighbours.</summary>
    private const int DarkEnough = 90;

    public async Task<IReadOnlyList<LeakHit>> CheckAsync(IReadOnlyList<ReleasedRecordFile> files, CancellationToken cancellationToken)
    {
        var hits = new List<LeakHit>();
        foreach (var file in files)
        {
            var scratch = Directory.CreateTempSubdirectory("records-gate-").FullName;
            try
            {
                var path = Path.Combine(scratch, "release.pdf");
                await File.WriteAllBytesAsync(path, file.File.Content, cancellationToken);
                var pageCount = file.Boxes.Select(b => b.PageIndex).DefaultIfEmpty(-1).Max() + 1;
                if (file.HadOcr)
                {
                    using var document = UglyToad.PdfPig.PdfDocument.Open(file.File.Content);
                    pageCount = document.NumberOfPages;
                }
                var pages = Enumerable.Range(0, pageCount).Where(i => file.HadOcr || file.Boxes.Any(b => b.PageIndex == i)).ToList();
                var found = new List<LeakHit>[pages.Count];
                await Parallel.ForEachAsync(Enumerable.Range(0, pages.Count),
                    new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Value.ParallelPages), CancellationToken = cancellationToken },
                    async (i, token) => found[i] = await CheckPageAsync(file, path, pages[i], scratch, token));
                hits.AddRange(found.SelectMany(h => h));
            }
            finally
            {
                Directory.Delete(scratch, recursive: true);
            }
        }
        return hits;
    }

    private async Task<List<LeakHit>> CheckPageAsync(ReleasedRecordFile file, string path, int pageIndex, string scratch, CancellationToken cancellationToken)
    {
        var hits = new List<LeakHit>();
        var dpi = file.HadOcr ? OcrDpi : CheckDpi;
        using var picture = await PageImages.RenderGreyAsync(tools, options.Value, path, pageIndex + 1, dpi, scratch, cancellationToken);
        foreach (var box in file.Boxes.Where(b => b.PageIndex == pageIndex))
        {
            if (!IsSolid(picture, box, dpi / 72.0))
            {
                hits.Add(new LeakHit(file.File.Name, $"page {box.Bates}, box at {box.Box.X:0},{box.Box.Y:0} pt", "a redaction box", "not solid in the rendered page"));
            }
        }
        if (file.HadOcr)
        {
            var words = await reader.RecogniseAsync(picture.Path, dpi, picture.Folder, cancellationToken);
            var text = string.Join('\n', words.GroupBy(w => w.Line).Select(line => string.Join(' ', line.Select(w => w.Text))));
            var bates = BatesOf(file, pageIndex);
            hits.AddRange(LeakScanner.ScanText(file.File.Name, $"page {bates} read again by OCR", text, file.Secrets));
        }
        return hits;
    }

    private static string BatesOf(ReleasedRecordFile file, int pageIndex) => ReleasePdfWriter.Bates(file.BatesPrefix, file.FirstBatesNumber + pageIndex);

    /// <summary>
    /// Every pixel of the box, two pixels in from its edge (a renderer resamples the page picture up to a pixel off, and
    /// blends the box's edge with the page), is dark, except inside its label; the label itself must be mostly dark
    /// (white glyphs on black cover well under half of it; a page showing through would not).
    /// </summary>
    internal static bool IsSolid(GreyPicture picture, PaintedBox box, double scale)
    {
        int Px(double points) => (int)Math.Round(points * scale);
        int left = Px(box.Box.X) + 2, top = Px(box.Box.Y) + 2, right = Px(box.Box.Right) - 2, bottom = Px(box.Box.Bottom) - 2;
        if (right <= left || bottom <= top)
        {
            (left, right, top, bottom) = (Px(box.Box.X + box.Box.Width / 2), Px(box.Box.X + box.Box.Width / 2) + 1,
                Px(box.Box.Y + box.Box.Height / 2), Px(box.Box.Y + box.Box.Height / 2) + 1);
        }
        var label = box.Label;
        long labelSum = 0, labelCount = 0;
        for (var y = Math.Max(0, top); y < Math.Min(picture.Height, bottom); y++)
        {
            for (var x = Math.Max(0, left); x < Math.Min(picture.Width, right); x++)
            {
                var grey = picture[x, y];
                var inLabel = label is not null && x >= Px(label.X) - 1 && x <= Px(label.Right) + 1 && y >= Px(label.Y) - 1 && y <= Px(label.Bottom) + 1;
                if (inLabel)
                {
                    labelSum += grey;
                    labelCount++;
                }
                else if (grey > DarkEnough)
                {
                    return false;
                }
            }
        }
        return labelCount == 0 || labelSum / labelCount < 128;
    }
}
