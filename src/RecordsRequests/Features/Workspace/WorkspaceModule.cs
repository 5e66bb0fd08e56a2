using Microsoft.AspNetCore.Mvc.RazorPages;
using RecordsRequests.Features.Accounts;

namespace RecordsRequests.Features.Workspace;

/// <summary>A request's own pages (the request, its clocks, its records) compose other features and register no services of their own.</summary>
public static class WorkspaceModule
{
    public static IServiceCollection AddWorkspace(this IServiceCollection services) =>
        // Counsel read a request (its words, dates and timeline); its actions check for an officer themselves.
        services.Configure<RazorPagesOptions>(pages => pages.Conventions.AuthorizeFolder("/Workspace", Policies.Staff));
}
