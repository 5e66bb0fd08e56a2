namespace RecordsRequests.Features.Workspace;

/// <summary>
/// One line of a request's timeline. <see cref="Times"/> lists the instants a collapsed line stands for (every time one
/// person viewed unredacted records), shown on demand.
/// </summary>
public sealed record TimelineEntry(DateTimeOffset At, string What, string Detail, string? MessageText, string? Actor = null,
    IReadOnlyList<DateTimeOffset>? Times = null, string Kind = "event");
