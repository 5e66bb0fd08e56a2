namespace RecordsRequests.Features.Intake;

/// <summary>A parsed and classified message, or why it could not be.</summary>
/// <param name="Sender">The sender check, when the decision needed one.</param>
/// <param name="Spam">SpamAssassin's score, or why it could not score it, for mail the SMTP listener received directly.</param>
public sealed record MailAnalysis(MailFacts? Facts, IntakeDecision Decision, SenderCheck? Sender = null, SpamScore? Spam = null);
