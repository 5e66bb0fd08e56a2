namespace RecordsRequests.Features.Archive;

/// <summary>Input to a fee estimate: how much a search found, in the units a fee is charged in.</summary>
public sealed record FeeHelp(int Hits, long EstimatedPages, long Attachments);
