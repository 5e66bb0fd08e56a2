namespace RecordsRequests.Features.Documents;

/// <summary>
/// A word on a page: its text, its box in points from the page's top-left corner, the line it belongs to (reading
/// order), and the OCR confidence (100 for words from a PDF's own text layer).
/// </summary>
public sealed record PageWord(string Text, double X, double Y, double Width, double Height, int Line, float Confidence)
{
    public bool Intersects(PageBox box) => X < box.X + box.Width && box.X < X + Width && Y < box.Y + box.Height && box.Y < Y + Height;
}
