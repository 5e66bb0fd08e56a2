namespace RecordsRequests.Features.Releases;

/// <summary>
/// What a release will send, shown to the officer before it is sent: the documents and their Bates ranges, the exemption
/// log, the response letter (editable), and who receives the e-mail. <see cref="Refusal"/> says why it cannot be sent yet.
/// </summary>
public sealed record ReleasePlan(string? Refusal, IReadOnlyList<PlannedDocument> Documents, IReadOnlyList<string> Exemptions,
    string? RecipientName, string? RecipientEmail, string EmailSubject, string Letter);
