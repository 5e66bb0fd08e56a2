using Microsoft.AspNetCore.Authentication;
using RecordsRequests.Features.Accounts;

namespace RecordsRequests.Features.Api;

/// <summary>
/// The officers' JSON API, described at /api/openapi/v1.json: its token scheme, the policy every endpoint requires, its
/// OpenAPI description and its endpoints. Token authentication only; no cookies, so no CSRF.
/// </summary>
public static class ApiModule
{
    /// <summary>Records officers and admins, authenticated by an API token: a browser's cookie never authorizes an API call.</summary>
    public const string Policy = "ApiOfficers";

    public static IServiceCollection AddApi(this IServiceCollection services)
    {
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiTokenAuthentication>(ApiTokenAuthentication.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Policy, p => p.AddAuthenticationSchemes(ApiTokenAuthentication.SchemeName)
                .RequireAuthenticatedUser().RequireRole(Roles.RecordsOfficer, Roles.Admin));
        services.AddOpenApi();
        return services;
    }

    public static void MapRecordsApi(this WebApplication app)
    {
        ApiEndpoints.MapRequests(app.MapGroup("/api/v1").RequireAuthorization(Policy).WithTags("Requests"));
        ApiEndpoints.MapArchiveSearch(app.MapGroup("/api/v1").RequireAuthorization(Policy).WithTags("Archive"));
        app.MapOpenApi("/api/openapi/{documentName}.json").AllowAnonymous();
    }
}
