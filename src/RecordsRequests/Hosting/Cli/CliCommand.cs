namespace RecordsRequests.Hosting.Cli;

/// <summary>One <c>ops/records</c> command. Commands run inside the same service container as the web application.</summary>
public interface ICliCommand
{
    /// <summary>The words that select the command, for example <c>migrate</c> or <c>archive import</c>.</summary>
    string Name { get; }

    /// <summary>One line for <c>ops/records --help</c>.</summary>
    string Summary { get; }

    /// <summary>Usage shown by <c>ops/records &lt;command&gt; --help</c>.</summary>
    string Usage { get; }

    /// <summary>Runs with the arguments that follow the command's name; returns the process exit code.</summary>
    Task<int> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken);
}

public static class CliCommandRegistration
{
    public static IServiceCollection AddCliCommand<TCommand>(this IServiceCollection services) where TCommand : class, ICliCommand =>
        services.AddScoped<ICliCommand, TCommand>();
}

/// <summary>Thrown for a command line the command cannot use; the message is printed with the command's usage.</summary>
public sealed class UsageException(string message) : Exception(message);
