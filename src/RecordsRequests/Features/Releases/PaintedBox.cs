using RecordsRequests.Features.Documents;

namespace RecordsRequests.Features.Releases;

/// <summary>A box as painted on the released file: where it is (points on the released page) and where its label is.</summary>
public sealed record PaintedBox(Guid RedactionId, int PageIndex, string Bates, PageBox Box, PageBox? Label);
