namespace RecordsRequests.Features.Documents;

/// <summary>A record made into a PDF that pages are rendered and read from, and the files it carried.</summary>
public sealed record Rendition(byte[] Pdf, IReadOnlyList<ChildDocument> Children);
