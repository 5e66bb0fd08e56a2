namespace RecordsRequests.Hosting.Cli;

/// <summary>One <c>ops/records</c> command. Commands run inside the same service container as the web application.</summary>
public interface ICliCommand
{
    /// <summary>Runs with the arguments that follow the command's name; returns the process exit code.</summary>
    Task<int> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken);
}

/// <summary>
/// A command's name and help, known without constructing it: only the command that runs is resolved, so one
/// command's dependencies (an index writer, a mail listener) are never opened by another.
/// </summary>
/// <param name="Name">The words that select the command, for example <c>migrate</c> or <c>archive import</c>.</param>
/// <param name="Summary">One line for <c>ops/records --help</c>.</param>
/// <param name="Usage">Shown by <c>ops/records &lt;command&gt; --help</c> and after a usage error.</param>
public sealed record CliCommandDescriptor(string Name, string Summary, string Usage, Type CommandType);

public static class CliCommandRegistration
{
    public static IServiceCollection AddCliCommand<TCommand>(this IServiceCollection services, string name, string summary, string usage)
        where TCommand : class, ICliCommand
    {
        services.AddScoped<TCommand>();
        services.AddSingleton(new CliCommandDescriptor(name, summary, usage, typeof(TCommand)));
        return services;
    }
}

/// <summary>Thrown for a command line the command cannot use; the message is printed with the command's usage.</summary>
public sealed class UsageException(string message) : Exception(message);
