namespace RecordsRequests.Features.Archive;

public sealed record ImportFailure(string SourceFile, long Offset, string Error);
