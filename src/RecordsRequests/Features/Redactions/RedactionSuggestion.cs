namespace RecordsRequests.Features.Redactions;

/// <summary>A span of a record's extracted text that a detector thinks should be withheld; a person confirms it.</summary>
/// <param name="Start">Index of the first character in the extracted text.</param>
/// <param name="End">Index one past the last character.</param>
public sealed record RedactionSuggestion(int Start, int End, RedactionCategory Category, string ExemptionCode, string Text, string Reason);
