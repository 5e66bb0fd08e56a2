namespace RecordsRequests.Features.Documents;

/// <summary>A page read from a rendition: its size, its picture (PNG at <see cref="PageImages.ReviewDpi"/>) and its words.</summary>
public sealed record ReadPage(int Number, double Width, double Height, byte[] Png, bool HasColour, PageTextSource TextSource, List<PageWord> Words);
