namespace RecordsRequests;

/// <summary>A rule of the domain refused an action; the message is safe to show to the person who asked for it.</summary>
public sealed class DomainException(string message) : Exception(message);
