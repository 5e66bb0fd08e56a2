namespace RecordsRequests.Features.Intake;

/// <summary>The sender, subject and Message-ID a message's header block names.</summary>
public sealed record MessageHeadline(string? MessageId, string? Subject, string? From);
