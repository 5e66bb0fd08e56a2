namespace RecordsRequests.Features.Dashboard;

public static class DashboardModule
{
    public static IServiceCollection AddDashboard(this IServiceCollection services) => services.AddSingleton<QueueCounts>();
}
