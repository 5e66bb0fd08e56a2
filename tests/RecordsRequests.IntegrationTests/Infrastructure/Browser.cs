using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace RecordsRequests.IntegrationTests.Infrastructure;

/// <summary>
/// Debian's chromium driven by Playwright. The browser is the system one (ops/test installs it); Playwright's own
/// browser download is not available here, so a missing /usr/bin/chromium fails with instructions.
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Instance { get; private set; } = null!;

    /// <summary>Screenshots of each step, kept as test artifacts (artifacts/screenshots under ops/test).</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(
        Environment.GetEnvironmentVariable("RECORDS_TEST_ARTIFACTS") ?? Path.Combine(AppContext.BaseDirectory, "artifacts"), "screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} not found. Run the tests with ops/test, which installs Debian's chromium, or: apt-get install chromium");
        }
        _playwright = await Playwright.CreateAsync();
        Instance = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // No sandbox: tests run as root in CI. The rest keep chromium off the network, which this machine does not have.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
        Directory.CreateDirectory(ScreenshotFolder);
    }

    public async Task DisposeAsync()
    {
        if (Instance is not null)
        {
            await Instance.CloseAsync();
        }
        _playwright?.Dispose();
    }

    /// <summary>As long as Playwright waits for a page by default.</summary>
    private static readonly TimeSpan PageWait = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Waits until the page's address matches <paramref name="address"/> and its document has loaded. Playwright's own
    /// <c>WaitForURLAsync</c> can lose the load event it waits for: it checks the states seen so far, then subscribes,
    /// while another thread delivers the events (microsoft/playwright-dotnet issue 3364). It then waits its whole 30 s
    /// for a page that loaded long before, which is how sign-ins timed out under load. Here the driver compares the
    /// address (it polls, so there is no event to miss) and the load state is asked for in short waits: a state one
    /// wait missed is still recorded, and the next wait finds it.
    /// </summary>
    public static async Task WaitForAddressAsync(IPage page, Regex address)
    {
        await Assertions.Expect(page).ToHaveURLAsync(address, new() { Timeout = (float)PageWait.TotalMilliseconds });
        await LoadedAsync(page);
    }

    /// <summary>Waits until the page has left every address that matches <paramref name="address"/> and the next page has loaded.</summary>
    public static async Task WaitToLeaveAsync(IPage page, Regex address)
    {
        await Assertions.Expect(page).Not.ToHaveURLAsync(address, new() { Timeout = (float)PageWait.TotalMilliseconds });
        await LoadedAsync(page);
    }

    private static async Task LoadedAsync(IPage page)
    {
        var deadline = DateTime.UtcNow + PageWait;
        while (true)
        {
            try
            {
                await page.WaitForLoadStateAsync(LoadState.Load, new() { Timeout = 1_000 });
                return;
            }
            catch (TimeoutException) when (DateTime.UtcNow < deadline)
            {
                // Either the page is still loading or this wait missed the event; the next one tells which.
            }
        }
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });
}
