namespace RecordsRequests.Features.Documents;

/// <summary>What the reader is doing, for the records page: "Reading page 3 of 12".</summary>
public sealed record PageProgress(int Done, int Total);
