namespace RecordsRequests.Features.Correspondence;

/// <summary>A field a template may use, and what it is filled with.</summary>
public sealed record LetterField(string Name, string Meaning);
