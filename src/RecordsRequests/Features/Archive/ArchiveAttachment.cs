namespace RecordsRequests.Features.Archive;

/// <param name="Pages">The document's page count where the format has pages (PDF), else estimated from its text.</param>
public sealed record ArchiveAttachment(string FileName, string Text, int Pages);
