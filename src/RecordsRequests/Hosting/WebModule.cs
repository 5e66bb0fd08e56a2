using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Api;
using RecordsRequests.Features.Correspondence;
using RecordsRequests.Features.Intake;
using RecordsRequests.Features.Deadlines;
using RecordsRequests.Features.Releases;
using RecordsRequests.Features.Workflow;

namespace RecordsRequests.Hosting;

public static class WebModule
{
    public static void AddRecordsWeb(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddRazorPages(pages =>
        {
            pages.RootDirectory = "/Features";
            // Staff pages need a staff role; the fallback policy below already turns anonymous visitors away.
            pages.Conventions.AuthorizeFolder("/Dashboard", Policies.Staff);
            // Counsel read a request (its words, dates and timeline); its actions check for an officer themselves.
            pages.Conventions.AuthorizeFolder("/Requests", Policies.Staff);
            pages.Conventions.AllowAnonymousToFolder("/Public");
            pages.Conventions.AllowAnonymousToPage("/Accounts/SignIn");
            pages.Conventions.AllowAnonymousToPage("/Accounts/Denied");
        });

        services.AddAuthentication(IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthentication>(ApiTokenAuthentication.SchemeName, null);
        services.AddAuthentication().AddIdentityCookies();
        services.AddAuthentication().AddDistrictSignOn(builder.Configuration);
        services.AddOpenApi();
        services.AddIdentityCore<StaffUser>().AddSignInManager();
        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.LoginPath = "/account/sign-in";
            cookie.LogoutPath = "/account/sign-out";
            cookie.AccessDeniedPath = "/account/denied";
            cookie.Cookie.Name = "records.auth";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(10);
            cookie.SlidingExpiration = true;
        });
        services.AddAuthorizationBuilder()
            // Every endpoint requires a signed-in user unless it opts out; a new page is private by default.
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.Staff, p => p.RequireRole(Roles.All))
            .AddPolicy(Policies.Officers, p => p.RequireRole(Roles.RecordsOfficer, Roles.Admin))
            .AddPolicy(Policies.Counsel, p => p.RequireRole(Roles.Counsel))
            .AddPolicy(Policies.Admins, p => p.RequireRole(Roles.Admin))
            // The API authenticates by token only: a browser's cookie never authorizes an API call.
            .AddPolicy(ApiEndpoints.Policy, p => p.AddAuthenticationSchemes(ApiTokenAuthentication.SchemeName)
                .RequireAuthenticatedUser().RequireRole(Roles.RecordsOfficer, Roles.Admin));
        services.AddAntiforgery(o => o.Cookie.Name = "records.af");
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        services.AddJobServer();
        services.AddOutboxDispatcher();
        services.AddIntakeChannels(builder.Configuration);
        services.AddWorkflowWorker();
    }

    public static void UseRecordsWeb(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error");
        }
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            // Requester status links carry a secret; never leak them to another site through the Referer header.
            headers["Referrer-Policy"] = "no-referrer";
            headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
            await next();
        });
        app.UseStaticFiles();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHealthChecks("/healthz").AllowAnonymous();
        app.MapRazorPages();
        app.MapReleaseDownloads();
        app.MapJobDashboard();
        app.MapRecordsApi();
        app.ScheduleReminderSweep();
    }
}
