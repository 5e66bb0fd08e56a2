namespace RecordsRequests.Features.Public;

public sealed record Milestone(string Title, string Explanation, MilestoneState State);
