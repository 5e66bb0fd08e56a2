using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RecordsRequests.Hosting;

namespace RecordsRequests.IntegrationTests.Infrastructure;

/// <summary>The real web application on a real Kestrel socket (127.0.0.1, a free port), against the test database.</summary>
public sealed class TestApp : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Microsoft.Extensions.FileProviders.PhysicalFileProvider _webRoot;

    private TestApp(WebApplication app, Uri address, Microsoft.Extensions.FileProviders.PhysicalFileProvider webRoot)
    {
        _app = app;
        Address = address;
        _webRoot = webRoot;
    }

    public Uri Address { get; }
    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Per-client limits that the suite's many sign-ins and form posts from 127.0.0.1 stay under; the tests of the
    /// limits themselves pass their own (the defaults are in RateLimitOptions).
    /// </summary>
    private static readonly Dictionary<string, string?> SuiteLimits = new()
    {
        ["RateLimits:PublicFormPerClient:Permits"] = "10000",
        ["RateLimits:PublicFormOverall:Permits"] = "10000",
        ["RateLimits:SignInPerClient:Permits"] = "10000",
        ["RateLimits:SignInOverall:Permits"] = "10000",
        ["RateLimits:PasswordResetPerClient:Permits"] = "10000",
    };

    public static async Task<TestApp> StartAsync(TestDatabase database, IEnumerable<KeyValuePair<string, string?>>? settings = null)
    {
        // Disposed with the app: its file watcher (asp-append-version asks for one) holds an inotify instance, and a
        // machine allows a user only 128 of them across every test run on it.
        var webRoot = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(Path.Combine(RepositoryRoot(), "src", "RecordsRequests", "wwwroot"));
        var app = HangfireGlobals.BuildPinned(() => RecordsHost.BuildWebApplication(["--environment", "Production"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(database.Settings());
            builder.Configuration.AddInMemoryCollection(SuiteLimits);
            builder.Configuration.AddInMemoryCollection(settings ?? []);
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            // The test's output folder has no wwwroot; serve the source one so pages look as they do in production.
            builder.Environment.WebRootPath = webRoot.Root;
            builder.Environment.WebRootFileProvider = webRoot;
        }), built => built.Services);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestApp(app, new Uri(address), webRoot);
    }

    public static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "RecordsRequests.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException("The tests must run from inside the repository (RecordsRequests.sln not found above the test binaries).");
    }

    /// <summary>A client that keeps cookies, like a browser, and does not follow redirects so tests can see them.</summary>
    public HttpClient CreateClient() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer(), UseCookies = true }) { BaseAddress = Address };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _webRoot.Dispose();
    }
}
