using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Api;
using RecordsRequests.Features.Dashboard;
using RecordsRequests.Features.Deadlines;
using RecordsRequests.Features.Documents;
using RecordsRequests.Features.Intake;
using RecordsRequests.Features.Mail;
using RecordsRequests.Features.Mailboxes;
using RecordsRequests.Features.Public;
using RecordsRequests.Features.Redactions;
using RecordsRequests.Features.Releases;
using RecordsRequests.Features.Workflow;
using RecordsRequests.Features.Workspace;

namespace RecordsRequests.Hosting;

public static class WebModule
{
    public static void AddRecordsWeb(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        // Each feature adds its own pages' rules (who may open them) in its module; the pages live under Features.
        services.AddRazorPages(pages => pages.RootDirectory = "/Features");
        services.AddStaffSignIn(builder.Configuration);
        // Every endpoint requires a signed-in user unless it opts out; a new page is private by default.
        services.AddAuthorizationBuilder().SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        services.AddApi();
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "records.af";
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.Configure<CookieTempDataProviderOptions>(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        AddProxyAndHostRules(builder);
        services.AddRecordsRateLimits();
        services.AddPublicPages();
        services.AddDashboard();
        services.AddWorkspace();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        services.AddJobServer();
        services.AddOutboxDispatcher();
        services.AddIntakeChannels(builder.Configuration);
        services.AddMailboxIntake();
        services.AddWorkflowWorker();
    }

    /// <summary>
    /// Behind a TLS proxy the scheme and client address come from X-Forwarded-* headers, believed only from the proxies
    /// listed in <c>Hosting:TrustedProxies</c>. The Host header is checked against the public base URL's host (plus
    /// loopback names for local use) unless <c>AllowedHosts</c> names hosts itself, so it cannot be echoed into redirects.
    /// </summary>
    private static void AddProxyAndHostRules(WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            // Read when the options are first used, after every configuration source (a host's own settings too) is in.
            var proxies = (configuration.GetSection("Hosting:TrustedProxies").Get<string[]>() ?? []).Where(p => !string.IsNullOrWhiteSpace(p)).ToList();
            // With no proxy configured, nobody's X-Forwarded-* is believed. (The middleware trusts every sender when
            // its lists of known proxies are empty, so clearing them alone would let any client choose its own
            // address for the rate limits and claim HTTPS.)
            o.ForwardedHeaders = proxies.Count == 0 ? ForwardedHeaders.None : ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in proxies)
            {
                o.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
            }
        });
        // The framework fills AllowedHosts from configuration only when nothing set it before; "*" (appsettings) means
        // "not chosen", so the public URL's host is used.
        var configuredHosts = builder.Configuration["AllowedHosts"];
        if (string.IsNullOrWhiteSpace(configuredHosts) || configuredHosts.Trim() == "*")
        {
            builder.Services.AddOptions<HostFilteringOptions>().Configure<IOptions<RecordsOptions>>((o, records) =>
                o.AllowedHosts = [new Uri(records.Value.PublicBaseUrl).Host, "localhost", "127.0.0.1", "[::1]"]);
        }
    }

    public static void UseRecordsWeb(this WebApplication app)
    {
        app.UseForwardedHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error");
            // Sent only on HTTPS responses: a district serving over TLS tells browsers never to use plain HTTP.
            app.UseHsts();
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
        // A response with a status and no body (a mistyped link, an unknown status link) shows the district's page saying how
        // to get help, not the browser's bare one; the API keeps its plain answers.
        app.UseWhen(context => !context.Request.Path.StartsWithSegments("/api"),
            branch => branch.UseStatusCodePagesWithReExecute("/problem/{0}"));
        app.UseStaticFiles();
        app.UseRouting();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHealthChecks("/healthz").AllowAnonymous();
        app.MapRazorPages();
        app.MapReleaseDownloads();
        app.MapPagePictures();
        app.MapJobDashboard();
        app.MapRecordsApi();
        app.ScheduleReminderSweep();
        app.ScheduleRecordPagesSweep();
    }
}
