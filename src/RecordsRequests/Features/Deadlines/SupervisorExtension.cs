namespace RecordsRequests.Features.Deadlines;

/// <summary>A Supervisor of Records order granting the district more time (G.L. c.66 §10(c); 950 CMR 32.06(4)).</summary>
/// <param name="BusinessDays">Business days granted beyond the production limit.</param>
/// <param name="OrderedDate">The date the order names, when it names one; it wins over the count.</param>
public sealed record SupervisorExtension(int BusinessDays, DateOnly GrantedOn, DateOnly? OrderedDate, string? Reference);
