namespace RecordsRequests.Features.Releases;

/// <summary>
/// A record as the release will number it: its place, its name (staff only), its pages and their Bates range, whose
/// first number is <see cref="FirstBatesNumber"/>.
/// </summary>
public sealed record PlannedDocument(int Number, string FileName, int PageCount, string FirstBates, string LastBates, int RedactionCount, int FirstBatesNumber);
