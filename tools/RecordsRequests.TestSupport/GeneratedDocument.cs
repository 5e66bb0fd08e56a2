namespace RecordsRequests.TestSupport;

/// <summary>A generated document and the identifiers planted in it.</summary>
public sealed record GeneratedDocument(string Text, IReadOnlyList<PlantedIdentifier> Planted);
