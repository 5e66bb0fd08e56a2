using Microsoft.Playwright;

namespace RecordsRequests.IntegrationTests.Infrastructure;

/// <summary>
/// The real app on Kestrel and Debian's chromium, for one test. Either both are the test's own (<see cref="StartAsync"/>,
/// for a test that needs its own settings), started and stopped with it; or both are its collection's
/// (<see cref="TestDatabase.StartBrowserTestAsync"/>), and the test closes only the browser contexts it opened.
/// If the app fails to start, the browser already launched is closed, so a failed run leaves no chromium process behind.
/// </summary>
public sealed class BrowserApp : IAsyncDisposable
{
    private readonly Browser _browser;
    private readonly bool _owned;
    private readonly List<IBrowserContext> _contexts = [];

    private BrowserApp(Browser browser, TestApp app, bool owned)
    {
        _browser = browser;
        App = app;
        _owned = owned;
    }

    public TestApp App { get; }

    public static async Task<BrowserApp> StartAsync(TestDatabase database, IEnumerable<KeyValuePair<string, string?>>? settings = null)
    {
        var browser = new Browser();
        await browser.InitializeAsync();
        try
        {
            return new BrowserApp(browser, await TestApp.StartAsync(database, settings), owned: true);
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    /// <summary>A test's view of a browser and an app its collection shares: disposing it closes only what the test opened.</summary>
    internal static BrowserApp Borrow(Browser browser, TestApp app) => new(browser, app, owned: false);

    /// <summary>A page in a fresh browser context whose relative addresses go to the app.</summary>
    public async Task<IPage> NewPageAsync() => await (await NewContextAsync()).NewPageAsync();

    /// <summary>A fresh browser context (its own cookies) whose relative addresses go to the app.</summary>
    public async Task<IBrowserContext> NewContextAsync(BrowserNewContextOptions? options = null)
    {
        options ??= new BrowserNewContextOptions();
        options.BaseURL = App.Address.ToString();
        var context = await _browser.Instance.NewContextAsync(options);
        _contexts.Add(context);
        return context;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.CloseAsync();
        }
        if (_owned)
        {
            await App.DisposeAsync();
            await _browser.DisposeAsync();
        }
    }
}
