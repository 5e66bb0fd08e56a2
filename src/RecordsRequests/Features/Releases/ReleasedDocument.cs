namespace RecordsRequests.Features.Releases;

/// <summary>Which record of the package a file carries, by its number and Bates range: never by the original's name.</summary>
public sealed record ReleasedDocument(int Number, string FirstBates, string LastBates, int PageCount, int RedactionCount);
