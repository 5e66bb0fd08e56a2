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

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });
}
