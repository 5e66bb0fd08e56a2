using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Graphics.Operations;
using UglyToad.PdfPig.Graphics.Operations.ClippingPaths;
using UglyToad.PdfPig.Graphics.Operations.PathConstruction;
using UglyToad.PdfPig.Graphics.Operations.PathPainting;
using UglyToad.PdfPig.Graphics.Operations.SpecialGraphicsState;
using UglyToad.PdfPig.Graphics.Operations.TextShowing;

namespace RecordsRequests.Features.Releases;

/// <summary>
/// Screens a PDF that arrives already "redacted" for the classic failure: a dark box painted over live text, which any
/// reader can still select and copy. The page's content-stream operators (from PdfPig) are replayed with the current
/// transformation matrix, fill colour and clipping box; each dark filled rectangle is kept with the number of
/// text-showing operations drawn before it. A letter counts as hidden when its centre lies inside such a rectangle
/// (by the path's fill rule, so a hole cut out of a box does not hide what shows through it), inside the clip that was
/// active, and the letter was drawn BEFORE the rectangle: text drawn on top of a box is visible (white on black).
/// Boxes over whitespace only, and rectangles that merely graze a letter, are ignored. Form XObjects are not replayed.
/// </summary>
public static class PdfOverlayInspector
{
    /// <summary>Fills darker than this (0 black, 1 white) are treated as redaction boxes.</summary>
    private const double DarkLuminance = 0.35;

    public static OverlayReport Inspect(string fileName, byte[] content)
    {
        using var document = PdfDocument.Open(content);
        var findings = new List<HiddenText>();
        foreach (var page in document.GetPages())
        {
            findings.AddRange(InspectPage(page));
        }
        return new OverlayReport(fileName, document.NumberOfPages, findings);
    }

    private sealed record FilledBox(List<(PdfRectangle Box, int Winding)> Parts, bool EvenOdd, PdfRectangle? Clip, int TextOperationsBefore, (double R, double G, double B) Colour)
    {
        public bool Covers(PdfPoint point)
        {
            if (Clip is { } clip && !Contains(clip, point))
            {
                return false;
            }
            var winding = 0;
            foreach (var (box, direction) in Parts)
            {
                if (Contains(box, point))
                {
                    winding += direction;
                }
            }
            return EvenOdd ? Math.Abs(winding) % 2 == 1 : winding != 0;
        }

        public PdfRectangle Bounds
        {
            get
            {
                var bounds = new PdfRectangle(Parts.Min(p => p.Box.Left), Parts.Min(p => p.Box.Bottom), Parts.Max(p => p.Box.Right), Parts.Max(p => p.Box.Top));
                return Clip is { } clip ? Intersect(bounds, clip) : bounds;
            }
        }
    }

    private sealed class GraphicsState
    {
        public TransformationMatrix Matrix = TransformationMatrix.Identity;
        public (double R, double G, double B)? Fill = (0, 0, 0); // black by default; null = a pattern or colour space we cannot judge
        public PdfRectangle? Clip;

        public GraphicsState Copy() => (GraphicsState)MemberwiseClone();
    }

    private static List<HiddenText> InspectPage(Page page)
    {
        var state = new GraphicsState();
        var stack = new Stack<GraphicsState>();
        var boxes = new List<FilledBox>();
        var path = new List<(PdfRectangle Box, int Winding)>();
        var pathIsRectangles = true;
        var pendingClip = false;
        var polygon = new List<PdfPoint>();
        var textOperations = 0;

        void EndPolygon()
        {
            if (polygon.Count == 0)
            {
                return;
            }
            if (AsRectangle(polygon) is { } rectangle)
            {
                path.Add(rectangle);
            }
            else if (polygon.Count > 1)
            {
                pathIsRectangles = false;
            }
            polygon.Clear();
        }

        void Paint(bool fill, bool evenOdd)
        {
            EndPolygon();
            if (fill && pathIsRectangles && path.Count > 0 && state.Fill is { } colour && Luminance(colour) < DarkLuminance)
            {
                boxes.Add(new FilledBox([.. path], evenOdd, state.Clip, textOperations, colour));
            }
            if (pendingClip && path.Count > 0)
            {
                var bounds = new PdfRectangle(path.Min(p => p.Box.Left), path.Min(p => p.Box.Bottom), path.Max(p => p.Box.Right), path.Max(p => p.Box.Top));
                state.Clip = state.Clip is { } clip ? Intersect(clip, bounds) : bounds;
            }
            pendingClip = false;
            path.Clear();
            pathIsRectangles = true;
        }

        foreach (var operation in page.Operations)
        {
            switch (operation)
            {
                case Push:
                    stack.Push(state.Copy());
                    break;
                case Pop:
                    state = stack.Count > 0 ? stack.Pop() : new GraphicsState();
                    break;
                case ModifyCurrentTransformationMatrix cm:
                    var v = cm.Value;
                    state.Matrix = new TransformationMatrix(v[0], v[1], 0, v[2], v[3], 0, v[4], v[5], 1).Multiply(state.Matrix);
                    break;
                case SetNonStrokeColorDeviceGray gray:
                    state.Fill = Rgb([(double)gray.Gray]);
                    break;
                case SetNonStrokeColorDeviceRgb rgb:
                    state.Fill = Rgb([(double)rgb.R, (double)rgb.G, (double)rgb.B]);
                    break;
                case SetNonStrokeColorDeviceCmyk cmyk:
                    state.Fill = Rgb([(double)cmyk.C, (double)cmyk.M, (double)cmyk.Y, (double)cmyk.K]);
                    break;
                case SetNonStrokeColorSpace space:
                    state.Fill = space.Name.Data is "DeviceRGB" or "CalRGB" or "DeviceCMYK" or "DeviceGray" or "CalGray" ? (0, 0, 0) : null;
                    break;
                case SetNonStrokeColor sc:
                    state.Fill = Rgb([.. sc.Operands]);
                    break;
                case SetNonStrokeColorAdvanced scn:
                    state.Fill = scn.PatternName is null ? Rgb([.. scn.Operands]) : null;
                    break;
                case AppendRectangle re:
                    EndPolygon();
                    path.Add(Transform(state.Matrix, (double)re.LowerLeftX, (double)re.LowerLeftY, (double)re.Width, (double)re.Height));
                    break;
                case BeginNewSubpath m:
                    EndPolygon();
                    polygon.Add(state.Matrix.Transform(new PdfPoint((double)m.X, (double)m.Y)));
                    break;
                case AppendStraightLineSegment l:
                    polygon.Add(state.Matrix.Transform(new PdfPoint((double)l.X, (double)l.Y)));
                    break;
                case CloseSubpath:
                    EndPolygon();
                    break;
                case AppendDualControlPointBezierCurve or AppendStartControlPointBezierCurve or AppendEndControlPointBezierCurve:
                    pathIsRectangles = false;
                    break;
                case ModifyClippingByNonZeroWindingIntersect or ModifyClippingByEvenOddIntersect:
                    pendingClip = true;
                    break;
                case FillPathNonZeroWinding or FillPathNonZeroWindingCompatibility or FillPathNonZeroWindingAndStroke or CloseFillPathNonZeroWindingAndStroke:
                    Paint(fill: true, evenOdd: false);
                    break;
                case FillPathEvenOddRule or FillPathEvenOddRuleAndStroke or CloseFillPathEvenOddRuleAndStroke:
                    Paint(fill: true, evenOdd: true);
                    break;
                case EndPath or StrokePath or CloseAndStrokePath:
                    Paint(fill: false, evenOdd: false);
                    break;
                // PdfPig numbers letters by text-showing operator (Letter.TextSequence, from 1); a TJ array is one.
                case ShowText or MoveToNextLineShowText or MoveToNextLineShowTextWithSpacing or ShowTextsWithPositioning:
                    textOperations++;
                    break;
            }
        }

        var findings = new List<HiddenText>();
        foreach (var box in boxes)
        {
            var hidden = page.Letters
                .Where(letter => !string.IsNullOrWhiteSpace(letter.Value) && (letter.TextSequence <= box.TextOperationsBefore || SameColour(letter, box.Colour)))
                .Where(letter => box.Covers(Centre(letter.BoundingBox)))
                .ToList();
            if (hidden.Count > 0)
            {
                var bounds = box.Bounds;
                findings.Add(new HiddenText(page.Number, Math.Round(bounds.Left, 1), Math.Round(bounds.Bottom, 1), Math.Round(bounds.Right, 1), Math.Round(bounds.Top, 1),
                    hidden.Count, string.Concat(hidden.Select(l => l.Value))));
            }
        }
        return findings;
    }

    /// <summary>Text drawn on top of a box in (nearly) the box's own colour is as unreadable as text under it, and just as extractable.</summary>
    private static bool SameColour(Letter letter, (double R, double G, double B) box)
    {
        if (letter.RenderingMode is TextRenderingMode.Neither or TextRenderingMode.NeitherClip)
        {
            return false; // invisible text (an OCR layer) is not "on top" of anything
        }
        var (r, g, b) = letter.FillColor.ToRGBValues();
        return Math.Sqrt((r - box.R) * (r - box.R) + (g - box.G) * (g - box.G) + (b - box.B) * (b - box.B)) < 0.1;
    }

    private static double Luminance((double R, double G, double B) colour) => 0.2126 * colour.R + 0.7152 * colour.G + 0.0722 * colour.B;

    private static (double, double, double)? Rgb(IReadOnlyList<double> components) => components.Count switch
    {
        1 => (components[0], components[0], components[0]),
        3 => (components[0], components[1], components[2]),
        4 => (1 - Math.Min(1, components[0] + components[3]), 1 - Math.Min(1, components[1] + components[3]), 1 - Math.Min(1, components[2] + components[3])),
        _ => null,
    };

    private static (PdfRectangle, int) Transform(TransformationMatrix matrix, double x, double y, double width, double height)
    {
        var a = matrix.Transform(new PdfPoint(x, y));
        var b = matrix.Transform(new PdfPoint(x + width, y));
        var c = matrix.Transform(new PdfPoint(x + width, y + height));
        var d = matrix.Transform(new PdfPoint(x, y + height));
        return (Bounds(a, b, c, d), Math.Sign(SignedArea([a, b, c, d])) is 0 ? 1 : Math.Sign(SignedArea([a, b, c, d])));
    }

    /// <summary>A closed path of four corners (a fifth equal to the first allowed) with axis-aligned sides is a rectangle.</summary>
    private static (PdfRectangle, int)? AsRectangle(List<PdfPoint> points)
    {
        var corners = points.Count == 5 && Near(points[0], points[4]) ? points.Take(4).ToList() : points;
        if (corners.Count != 4)
        {
            return null;
        }
        for (var i = 0; i < 4; i++)
        {
            var p = corners[i];
            var q = corners[(i + 1) % 4];
            if (Math.Abs(p.X - q.X) > 0.5 && Math.Abs(p.Y - q.Y) > 0.5)
            {
                return null;
            }
        }
        var area = SignedArea(corners);
        return area == 0 ? null : (Bounds(corners[0], corners[1], corners[2], corners[3]), Math.Sign(area));
    }

    private static double SignedArea(IReadOnlyList<PdfPoint> points)
    {
        double sum = 0;
        for (var i = 0; i < points.Count; i++)
        {
            var p = points[i];
            var q = points[(i + 1) % points.Count];
            sum += p.X * q.Y - q.X * p.Y;
        }
        return sum / 2;
    }

    private static bool Near(PdfPoint a, PdfPoint b) => Math.Abs(a.X - b.X) < 0.5 && Math.Abs(a.Y - b.Y) < 0.5;

    private static PdfRectangle Bounds(params PdfPoint[] points) =>
        new(points.Min(p => p.X), points.Min(p => p.Y), points.Max(p => p.X), points.Max(p => p.Y));

    private static PdfRectangle Intersect(PdfRectangle a, PdfRectangle b) =>
        new(Math.Max(a.Left, b.Left), Math.Max(a.Bottom, b.Bottom), Math.Max(Math.Max(a.Left, b.Left), Math.Min(a.Right, b.Right)),
            Math.Max(Math.Max(a.Bottom, b.Bottom), Math.Min(a.Top, b.Top)));

    private static bool Contains(PdfRectangle box, PdfPoint point) =>
        point.X > box.Left && point.X < box.Right && point.Y > box.Bottom && point.Y < box.Top;

    private static PdfPoint Centre(PdfRectangle box) => new((box.Left + box.Right) / 2, (box.Bottom + box.Top) / 2);
}
