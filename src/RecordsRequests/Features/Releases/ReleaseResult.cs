namespace RecordsRequests.Features.Releases;

public sealed record ReleaseResult(Guid ReleaseId, string Token, IReadOnlyList<string> FileNames);
