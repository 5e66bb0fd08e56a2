using Microsoft.AspNetCore.Mvc.RazorPages;

namespace RecordsRequests.Features.Public;

public static class PublicModule
{
    /// <summary>What requesters use without signing in: the request form and the status page.</summary>
    public static IServiceCollection AddPublicPages(this IServiceCollection services)
    {
        services.AddScoped<FormTickets>();
        services.AddScoped<RequesterStatus>();
        services.Configure<RazorPagesOptions>(pages => pages.Conventions.AllowAnonymousToFolder("/Public"));
        return services;
    }
}
