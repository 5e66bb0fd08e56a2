namespace RecordsRequests.Features.Intake;

/// <summary>One message a channel fetched, with the spam verdict of the provider it came from when that judged it spam.</summary>
public sealed record IncomingMail(byte[] Raw, string? SourceReference, SpamVerdict? ProviderSpamVerdict = null);
