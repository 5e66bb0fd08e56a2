using RecordsRequests.Features.Releases;
using RecordsRequests.Hosting.Cli;

namespace RecordsRequests.Features.Redactions;

public static class RedactionsModule
{
    public static IServiceCollection AddRedactions(this IServiceCollection services)
    {
        services.AddOptions<RedactionOptions>().BindConfiguration(RedactionOptions.SectionName).ValidateDataAnnotations();
        services.AddScoped<RedactionWorkflow>();
        services.AddScoped<ReleaseProducer>();
        services.AddCliCommand<CheckPdfCommand>();
        services.AddCliCommand<RedactCommand>();
        services.AddCliCommand<VerifyReleaseCommand>();
        services.AddCliCommand<RedactionBenchCommand>();
        return services;
    }
}
