namespace RecordsRequests.Features.Releases;

/// <summary>A released record's PDF with what the pixel gate needs to know about it.</summary>
public sealed record ReleasedRecordFile(ProducedFile File, IReadOnlyList<PaintedBox> Boxes, bool HadOcr, IReadOnlyList<RedactedSecret> Secrets,
    string BatesPrefix, int FirstBatesNumber);
