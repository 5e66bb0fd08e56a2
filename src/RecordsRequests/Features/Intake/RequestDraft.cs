namespace RecordsRequests.Features.Intake;

/// <summary>What a new request is made of, read from one message.</summary>
public sealed record RequestDraft(
    string? RequesterName,
    string RequesterEmail,
    string Subject,
    string Description,
    Requests.CitedLaw CitedLaw,
    IReadOnlyList<MailAttachment> Attachments,
    string? ForwardedBy);
