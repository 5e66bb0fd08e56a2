namespace RecordsRequests.Features.Mailboxes;

/// <summary>One message fetched from a mailbox, as raw bytes, with what the provider said about it.</summary>
/// <param name="Reference">Where it came from (connection, provider's id), for the intake list.</param>
/// <param name="SpamVerdict">The provider's own spam verdict, when it judged the message spam; null otherwise.</param>
public sealed record FetchedMail(byte[] Raw, string Reference, Intake.SpamVerdict? SpamVerdict);
