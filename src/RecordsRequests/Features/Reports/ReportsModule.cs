namespace RecordsRequests.Features.Reports;

public static class ReportsModule
{
    public static IServiceCollection AddReports(this IServiceCollection services) => services.AddScoped<RequestReports>();
}
