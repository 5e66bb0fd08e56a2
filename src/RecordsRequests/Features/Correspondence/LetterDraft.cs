namespace RecordsRequests.Features.Correspondence;

public sealed record LetterDraft(LetterKind Kind, string Subject, string Body);
