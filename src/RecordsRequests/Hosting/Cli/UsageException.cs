namespace RecordsRequests.Hosting.Cli;

/// <summary>Thrown for a command line the command cannot use; the message is printed with the command's usage.</summary>
public sealed class UsageException(string message) : Exception(message);
