namespace RecordsRequests.Features.Intake;

/// <summary>One message of a file: a plain file is one message, an mbox file holds many.</summary>
public sealed record MailFileEntry(string File, int Index, byte[]? Raw, string? ReadError);
