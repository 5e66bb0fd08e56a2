namespace RecordsRequests.Features.Releases;

public sealed record PageReleasePdf(byte[] Content, int PageCount, string FirstBates, string LastBates, IReadOnlyList<PaintedBox> Boxes);
