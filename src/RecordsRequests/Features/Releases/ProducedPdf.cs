namespace RecordsRequests.Features.Releases;

public sealed record ProducedPdf(byte[] Content, int PageCount, string FirstBates, string LastBates);
