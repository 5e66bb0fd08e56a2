namespace RecordsRequests.Hosting.Cli;

/// <summary>Chooses the command named on the command line, or prints the list of commands.</summary>
public static class CliRunner
{
    public static bool IsHelp(IReadOnlyList<string> args) => args.Count > 0 && args[0] is "--help" or "-h" or "help";

    /// <param name="program">The command that runs this, as the help names it.</param>
    public static async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args, CancellationToken cancellationToken,
        string program = "ops/records")
    {
        await using var scope = services.CreateAsyncScope();
        var commands = scope.ServiceProvider.GetServices<CliCommandDescriptor>().OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        if (args.Count == 0 || IsHelp(args))
        {
            PrintHelp(commands, program);
            return args.Count == 0 ? 2 : 0;
        }

        // The longest matching name wins, so "archive import" is chosen over a plain "archive".
        var command = commands
            .Select(c => (Command: c, Words: c.Name.Split(' ')))
            .Where(c => c.Words.Length <= args.Count && c.Words.SequenceEqual(args.Take(c.Words.Length)))
            .OrderByDescending(c => c.Words.Length)
            .FirstOrDefault();
        if (command.Command is null)
        {
            await Console.Error.WriteLineAsync($"Unknown command '{string.Join(' ', args)}'. Run {program} --help for the list.");
            return 2;
        }

        var rest = args.Skip(command.Words.Length).ToList();
        if (rest.Count > 0 && rest[0] is "--help" or "-h")
        {
            Console.WriteLine(command.Command.Usage);
            return 0;
        }
        if (scope.ServiceProvider.GetService<ICurrentActor>() is HttpOrSystemActor actor)
        {
            actor.SystemName = $"cli:{command.Command.Name}";
        }
        try
        {
            var instance = (ICliCommand)scope.ServiceProvider.GetRequiredService(command.Command.CommandType);
            return await instance.RunAsync(rest, cancellationToken);
        }
        catch (UsageException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            await Console.Error.WriteLineAsync(command.Command.Usage);
            return 2;
        }
    }

    private static void PrintHelp(IReadOnlyList<CliCommandDescriptor> commands, string program)
    {
        Console.WriteLine($"Usage: {program} <command> [options]");
        if (program == "ops/records")
        {
            Console.WriteLine("       ops/records serve            run the web dashboard (what ops/run does)");
        }
        Console.WriteLine();
        Console.WriteLine("Commands:");
        var width = commands.Max(c => c.Name.Length) + 2;
        foreach (var command in commands)
        {
            Console.WriteLine($"  {command.Name.PadRight(width)}{command.Summary}");
        }
        Console.WriteLine();
        Console.WriteLine($"Run {program} <command> --help for a command's options.");
    }
}
