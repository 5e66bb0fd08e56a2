namespace RecordsRequests.Features.Redactions;

/// <summary>One ground for withholding that a redaction may cite; <see cref="Code"/> is what the release box shows.</summary>
public sealed record Exemption(string Code, string Title, string Citation, string LetterReason);
