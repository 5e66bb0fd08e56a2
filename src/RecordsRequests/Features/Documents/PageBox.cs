namespace RecordsRequests.Features.Documents;

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
