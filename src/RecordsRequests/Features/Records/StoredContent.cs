namespace RecordsRequests.Features.Records;

public sealed record StoredContent(string Sha256, long Length);
