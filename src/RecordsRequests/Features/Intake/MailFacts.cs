using MimeKit;

namespace RecordsRequests.Features.Intake;

/// <summary>Everything intake reads from a message without the database; computed under the per-message time limit.</summary>
public sealed record MailFacts(
    MimeMessage Message,
    string? Automated,
    MailboxAddress? Sender,
    IReadOnlyList<string> ThreadIds,
    string? TrackingNumber,
    string NormalizedSubject,
    string BodyText,
    RequestDraft? Draft,
    IReadOnlyList<string> ReplyTokens,
    bool ClaimsDistrictSender,
    SpamVerdict? Spam = null);
