using RecordsRequests.Hosting.Cli;

namespace RecordsRequests.Features.Intake;

public static class IntakeModule
{
    public static IServiceCollection AddIntake(this IServiceCollection services)
    {
        services.AddOptions<IntakeOptions>().BindConfiguration(IntakeOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<MailAnalyzer>();
        services.AddScoped<DatabaseThreadLookup>();
        services.AddScoped<MailIntake>();
        services.AddCliCommand<IntakeCommand>();
        services.AddCliCommand<IntakeBenchCommand>();
        return services;
    }
}
