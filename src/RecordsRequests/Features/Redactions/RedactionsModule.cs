using RecordsRequests.Features.Releases;
using RecordsRequests.Hosting.Cli;

namespace RecordsRequests.Features.Redactions;

public static class RedactionsModule
{
    public static IServiceCollection AddRedactions(this IServiceCollection services)
    {
        // The CLI host (redact, verify-release, check-pdf) validates the container on build, and Identity's token
        // providers need data protection; the web host configures its key ring, this only makes the CLI resolvable.
        services.AddDataProtection();
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
