namespace RecordsRequests.Features.Intake;

/// <summary>A file the drop folder would not take in, with the reason it was refused.</summary>
public sealed record RefusedFile(string Name, DateTimeOffset RefusedAt, string Reason);
