namespace RecordsRequests.Features.Documents;

/// <summary>A word of a record's text: where it sits in the text and on which page, in which box.</summary>
public sealed record PlacedWord(int Page, int Start, int End, PageWord Word);
