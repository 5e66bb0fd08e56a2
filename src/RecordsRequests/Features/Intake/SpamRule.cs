namespace RecordsRequests.Features.Intake;

/// <summary>One SpamAssassin rule that matched, with its points and its description in words.</summary>
public sealed record SpamRule(string Name, double Points, string Description);
