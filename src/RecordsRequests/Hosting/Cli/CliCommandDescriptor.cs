namespace RecordsRequests.Hosting.Cli;

/// <summary>A registered command's name and help, and the type to resolve when it runs.</summary>
public sealed record CliCommandDescriptor(string Name, string Summary, string Usage, Type CommandType);
