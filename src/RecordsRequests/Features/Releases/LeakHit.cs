namespace RecordsRequests.Features.Releases;

public sealed record LeakHit(string File, string Where, string Label, string Variant);
