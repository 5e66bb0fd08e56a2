namespace RecordsRequests.Features.Status;

public static class StatusModule
{
    public static IServiceCollection AddStatusLinks(this IServiceCollection services)
    {
        services.AddScoped<StatusLinks>();
        services.AddScoped<AddressConfirmations>();
        return services;
    }
}
