using RecordsRequests.Hosting.Cli;

namespace RecordsRequests.Features.Demo;

public static class DemoModule
{
    public static IServiceCollection AddDemo(this IServiceCollection services) =>
        services.AddCliCommand<SeedDemoCommand>();
}
