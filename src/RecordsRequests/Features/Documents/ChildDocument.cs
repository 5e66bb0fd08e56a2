namespace RecordsRequests.Features.Documents;

/// <summary>A file found inside another (an e-mail's attachment): it becomes a record of the same family.</summary>
public sealed record ChildDocument(string FileName, string ContentType, byte[] Content);
