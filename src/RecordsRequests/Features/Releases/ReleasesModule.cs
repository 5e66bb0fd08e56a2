using RecordsRequests.Hosting.Cli;

namespace RecordsRequests.Features.Releases;

public static class ReleasesModule
{
    public static IServiceCollection AddReleases(this IServiceCollection services)
    {
        services.AddSingleton<PageLeakGate>();
        services.AddScoped<ReleaseProducer>();
        services.AddCliCommand<CheckPdfCommand>();
        services.AddCliCommand<RedactCommand>();
        services.AddCliCommand<VerifyReleaseCommand>();
        return services;
    }
}
