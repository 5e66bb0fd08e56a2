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

    private TestApp(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }
    public IServiceProvider Services => _app.Services;

    public static async Task<TestApp> StartAsync(TestDatabase database)
    {
        var app = RecordsHost.BuildWebApplication(["--environment", "Production"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(database.Settings());
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            // The test's output folder has no wwwroot; serve the source one so pages look as they do in production.
            var webRoot = Path.Combine(RepositoryRoot(), "src", "RecordsRequests", "wwwroot");
            builder.Environment.WebRootPath = webRoot;
            // Polling, not inotify: every host's asp-append-version watches wwwroot, and inotify instances are a per-user limit
            // (128) shared by every test host on the machine; an exhausted limit turned pages into 500s.
            builder.Environment.WebRootFileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(webRoot) { UsePollingFileWatcher = true };
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestApp(app, new Uri(address));
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
    }
}
