using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RecordsRequests.Data;
using RecordsRequests.Features.Records;

namespace RecordsRequests.Features.Documents;

/// <summary>
/// A word on a page: its text, its box in points from the page's top-left corner, the line it belongs to (reading
/// order), and the OCR confidence (100 for words from a PDF's own text layer).
/// </summary>
public sealed record PageWord(string Text, double X, double Y, double Width, double Height, int Line, float Confidence)
{
    public bool Intersects(PageBox box) => X < box.X + box.Width && box.X < X + Width && Y < box.Y + box.Height && box.Y < Y + Height;
}

/// <summary>A rectangle on a page (1-based page number), in points from the page's top-left corner.</summary>
public sealed record PageBox(int Page, double X, double Y, double Width, double Height)
{
    public double Right => X + Width;
    public double Bottom => Y + Height;

    public PageBox Union(PageBox other) =>
        new(Page, Math.Min(X, other.X), Math.Min(Y, other.Y), Math.Max(Right, other.Right) - Math.Min(X, other.X),
            Math.Max(Bottom, other.Bottom) - Math.Min(Y, other.Y));

    public bool Contains(double x, double y) => x >= X && x <= Right && y >= Y && y <= Bottom;

    public PageBox Inflate(double by) => new(Page, X - by, Y - by, Width + 2 * by, Height + 2 * by);

    /// <summary>The part of the box on a page of the given size.</summary>
    public PageBox ClipTo(double pageWidth, double pageHeight)
    {
        var x = Math.Clamp(X, 0, pageWidth);
        var y = Math.Clamp(Y, 0, pageHeight);
        return new PageBox(Page, x, y, Math.Clamp(Right, 0, pageWidth) - x, Math.Clamp(Bottom, 0, pageHeight) - y);
    }
}

/// <summary>Where a page's words came from.</summary>
public enum PageTextSource
{
    /// <summary>The PDF's own text layer (born-digital, or converted from Word, Excel, e-mail or text).</summary>
    TextLayer,
    /// <summary>Tesseract, because the page is a scan, a photo or an image-only PDF page.</summary>
    Ocr,
}

/// <summary>
/// One page of a record as reviewers see it and as it is released: its size in points, its picture (rendered from the
/// record's rendition at <see cref="PageImages.ReviewDpi"/>, kept in the content store) and its words.
/// </summary>
public sealed class DocumentPage
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public Guid RecordId { get; private set; }
    public int Number { get; private set; }
    public double Width { get; private set; }
    public double Height { get; private set; }
    public string ImageSha256 { get; private set; } = "";
    public bool HasColour { get; private set; }
    public PageTextSource TextSource { get; private set; }
    public List<PageWord> Words { get; private set; } = [];

    private DocumentPage() { }

    public static DocumentPage Create(Guid recordId, int number, double width, double height, string imageSha256, bool hasColour,
        PageTextSource textSource, List<PageWord> words) => new()
        {
            RecordId = recordId,
            Number = number,
            Width = width,
            Height = height,
            ImageSha256 = imageSha256,
            HasColour = hasColour,
            TextSource = textSource,
            Words = words,
        };
}

internal sealed class DocumentPageConfiguration : IEntityTypeConfiguration<DocumentPage>
{
    public void Configure(EntityTypeBuilder<DocumentPage> builder)
    {
        builder.ToTable("document_pages");
        builder.Property(p => p.ImageSha256).HasMaxLength(64);
        builder.Property(p => p.TextSource).HasConversion<string>().HasMaxLength(20);
        builder.Property(p => p.Words).HasJsonColumn();
        builder.HasIndex(p => new { p.RecordId, p.Number }).IsUnique();
        builder.HasOne<Record>().WithMany().HasForeignKey(p => p.RecordId).OnDelete(DeleteBehavior.Cascade);
    }
}
