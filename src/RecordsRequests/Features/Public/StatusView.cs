namespace RecordsRequests.Features.Public;

public sealed record StatusView(
    string TrackingNumber,
    DateTimeOffset ReceivedAt,
    string Description,
    string StatusSummary,
    IReadOnlyList<Milestone> Milestones,
    IReadOnlyList<LegalDate> Dates,
    string? OfficerName,
    IReadOnlyList<StatusMessage> Messages,
    IReadOnlyList<StatusFile> Files);
