namespace RecordsRequests.Features.Requests;

public static class RequestsModule
{
    public static IServiceCollection AddRequests(this IServiceCollection services)
    {
        services.AddScoped<SubmitRequest>();
        return services;
    }
}
