namespace RecordsRequests.Features.Archive;

public sealed record ArchiveHit(Guid Id, string? MessageId, string Subject, string From, DateTimeOffset? Date, IReadOnlyList<string> Custodians,
    float Score, string SnippetHtml, IReadOnlyList<string> AttachmentNames);
