namespace RecordsRequests.Features.Intake;

/// <summary>What reading a message found without the database: its facts, or why it could not be read.</summary>
public sealed record MailReading(MailFacts? Facts, string? Failure);
