namespace RecordsRequests.Features.Public;

public sealed record StatusFile(Guid Id, string FileName, string ContentType, long SizeBytes, DateTimeOffset ReleasedAt);
