namespace RecordsRequests.Features.Documents;

/// <summary>Where a page's words came from.</summary>
public enum PageTextSource
{
    /// <summary>The PDF's own text layer (born-digital, or converted from Word, Excel, e-mail or text).</summary>
    TextLayer,
    /// <summary>Tesseract, because the page is a scan, a photo or an image-only PDF page.</summary>
    Ocr,
}
