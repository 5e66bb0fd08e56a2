namespace RecordsRequests.Features.Archive;

/// <summary>One message of an mbox: the offset of its "From " separator line and its bytes without that line.</summary>
public readonly record struct MboxMessage(long Offset, byte[] Bytes);
