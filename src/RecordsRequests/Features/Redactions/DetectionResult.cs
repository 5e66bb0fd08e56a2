namespace RecordsRequests.Features.Redactions;

public sealed record DetectionResult(IReadOnlyList<RedactionSuggestion> Suggestions, IReadOnlyList<ReviewFlag> ReviewFlags);
