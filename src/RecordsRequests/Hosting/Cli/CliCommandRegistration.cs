namespace RecordsRequests.Hosting.Cli;

public static class CliCommandRegistration
{
    public static IServiceCollection AddCliCommand<TCommand>(this IServiceCollection services)
        where TCommand : class, ICliCommand
    {
        services.AddScoped<TCommand>();
        services.AddSingleton(new CliCommandDescriptor(TCommand.Name, TCommand.Summary, TCommand.Usage, typeof(TCommand)));
        return services;
    }
}
