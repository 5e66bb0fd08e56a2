namespace RecordsRequests.Features.Deadlines;

/// <summary>An itemised, good-faith estimate (c.66 §10(b)(viii), [S]).</summary>
public sealed record FeeEstimateResult(IReadOnlyList<FeeLine> Lines, decimal Subtotal, decimal Reduction, decimal Total, IReadOnlyList<string> Notes);
