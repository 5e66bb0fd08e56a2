using Microsoft.AspNetCore.Mvc.RazorPages;
using RecordsRequests.Features.Accounts;

namespace RecordsRequests.Features.Dashboard;

public static class DashboardModule
{
    /// <summary>The officers' queue: its counts, kept for a few seconds, and its pages, open to staff only.</summary>
    public static IServiceCollection AddDashboard(this IServiceCollection services)
    {
        services.AddSingleton<QueueCounts>();
        // The fallback policy already turns anonymous visitors away; these pages also need a staff role.
        services.Configure<RazorPagesOptions>(pages => pages.Conventions.AuthorizeFolder("/Dashboard", Policies.Staff));
        return services;
    }
}
