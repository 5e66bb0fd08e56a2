using Microsoft.Playwright;

namespace RecordsRequests.IntegrationTests.Infrastructure;

/// <summary>
/// The real app on Kestrel and Debian's chromium, started and stopped together. If the app fails to start, the
/// browser already launched is closed, so a failed run leaves no chromium process behind.
/// </summary>
public sealed class BrowserApp : IAsyncDisposable
{
    private readonly Browser _browser;

    private BrowserApp(Browser browser, TestApp app)
    {
        _browser = browser;
        App = app;
    }

    public TestApp App { get; }

    public static async Task<BrowserApp> StartAsync(TestDatabase database, IEnumerable<KeyValuePair<string, string?>>? settings = null)
    {
        var browser = new Browser();
        await browser.InitializeAsync();
        try
        {
            return new BrowserApp(browser, await TestApp.StartAsync(database, settings));
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    /// <summary>A page in a fresh browser context whose relative addresses go to the app.</summary>
    public Task<IPage> NewPageAsync() => _browser.Instance.NewPageAsync(new() { BaseURL = App.Address.ToString() });

    /// <summary>A fresh browser context (its own cookies) whose relative addresses go to the app.</summary>
    public Task<IBrowserContext> NewContextAsync(BrowserNewContextOptions? options = null)
    {
        options ??= new BrowserNewContextOptions();
        options.BaseURL = App.Address.ToString();
        return _browser.Instance.NewContextAsync(options);
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await _browser.DisposeAsync();
    }
}
