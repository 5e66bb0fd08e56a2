namespace RecordsRequests.Features.Intake;

/// <summary>An attachment as the requester sent it, decoded, to be kept as a Record of the request.</summary>
public sealed record MailAttachment(string FileName, string ContentType, byte[] Content);
