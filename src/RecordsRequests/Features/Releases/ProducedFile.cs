namespace RecordsRequests.Features.Releases;

/// <summary>A produced file as it will leave the district.</summary>
public sealed record ProducedFile(string Name, byte[] Content);
