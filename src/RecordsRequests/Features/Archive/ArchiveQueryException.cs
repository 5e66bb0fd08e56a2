namespace RecordsRequests.Features.Archive;

/// <summary>The query could not be parsed; the message is meant for the officer who typed it.</summary>
public class ArchiveQueryException(string message, Exception inner) : Exception(message, inner);
