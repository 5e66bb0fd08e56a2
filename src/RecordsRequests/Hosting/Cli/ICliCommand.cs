namespace RecordsRequests.Hosting.Cli;

/// <summary>
/// One <c>ops/records</c> command. Commands run inside the same service container as the web application. Name and
/// help are static, so the list of commands is known without constructing any: only the command that runs is
/// resolved, and one command's dependencies (an index writer, a mail listener) are never opened by another.
/// </summary>
public interface ICliCommand
{
    /// <summary>The words that select the command, for example <c>migrate</c> or <c>archive import</c>.</summary>
    static abstract string Name { get; }

    /// <summary>One line for <c>ops/records --help</c>.</summary>
    static abstract string Summary { get; }

    /// <summary>Shown by <c>ops/records &lt;command&gt; --help</c> and after a usage error.</summary>
    static abstract string Usage { get; }

    /// <summary>Runs with the arguments that follow the command's name; returns the process exit code.</summary>
    Task<int> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken);
}
