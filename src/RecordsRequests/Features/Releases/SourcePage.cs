using RecordsRequests.Features.Documents;

namespace RecordsRequests.Features.Releases;

/// <summary>A page of a record as it leaves the district: its picture at review resolution, its words, its size.</summary>
public sealed record SourcePage(int Number, double Width, double Height, byte[] Png, bool HasColour, IReadOnlyList<PageWord> Words);
