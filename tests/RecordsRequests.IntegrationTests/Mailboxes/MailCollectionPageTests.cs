using System.Text.RegularExpressions;
using Microsoft.Playwright;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Mailboxes;
using RecordsRequests.IntegrationTests.Infrastructure;
using RecordsRequests.IntegrationTests.Reports;

namespace RecordsRequests.IntegrationTests.Mailboxes;

/// <summary>An officer collects a custodian's mail for a request in chromium, with the web host's own job server doing the work.</summary>
[Collection(Lanes.BrowserOwnHosts)]
public sealed class MailCollectionPageTests(TestDatabase database) : IAsyncLifetime
{
    private ProviderDouble _provider = null!;
    private BrowserApp _session = null!;

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        _provider = await ProviderDouble.StartAsync();
        _session = await BrowserApp.StartAsync(database, _provider.Settings());
    }

    public async Task DisposeAsync()
    {
        await _session.DisposeAsync();
        await _provider.DisposeAsync();
    }

    [Fact]
    public async Task Officer_CollectsACustodiansMail_FollowsItsProgress_AndFindsItInTheArchive()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var custodian = $"lee-{run}@district.example";
        var box = _provider.Mailbox(custodian);
        _provider.AccessPolicy.Add(custodian);
        for (var n = 1; n <= 30; n++)
        {
            MailCollectionTests.Receive(box, run, n, "Field trip buses", "Quotes for the spring field trip buses.", new DateTimeOffset(2025, 3, n % 28 + 1, 14, 0, 0, TimeSpan.Zero));
        }
        var connection = await MailCollectionTests.ConnectAsync(_session.App.Services, MailboxKind.Microsoft365, run, _provider);
        var request = await ReportsTests.SeedRequestAsync(_session.App.Services, $"pat-{run}@public.example", DateTimeOffset.UtcNow);
        // A slow tenant, so the page can be seen while the collection runs.
        _provider.Delay = TimeSpan.FromMilliseconds(200);

        var page = (await BrowserSignIn.SignInAsync(_session, Roles.RecordsOfficer)).Page;

        await page.GotoAsync($"/requests/{request.TrackingNumber}");
        await Assertions.Expect(page.Locator("#collections")).ToContainTextAsync("No mail collected yet.");
        await page.GetByRole(AriaRole.Link, new() { Name = "Collect a custodian's mail from Microsoft 365 or Google Workspace" }).ClickAsync();
        await page.GetByLabel("Mail system").SelectOptionAsync(new SelectOptionValue { Label = $"{connection.Name} (Microsoft 365)" });
        await page.GetByLabel("Custodian's mailbox address").FillAsync(custodian);
        await page.GetByLabel("Received from (first day)").FillAsync("2025-03-01");
        await page.GetByLabel("Received through (last day)").FillAsync("2025-03-31");
        await Infrastructure.Browser.ScreenshotAsync(page, "collection-01-form");
        await page.GetByRole(AriaRole.Button, new() { Name = "Collect" }).ClickAsync();

        var row = page.Locator($"tr[data-collection='{custodian}']");
        await Assertions.Expect(row.Locator(".collection-progress")).ToContainTextAsync(new Regex(@"of about 30 messages, [\d,]+ a minute, (about \d+ minutes? left|less than a minute left)"),
            new() { Timeout = 60_000 });
        await Assertions.Expect(row.Locator(".collection-state")).ToContainTextAsync("Collecting");
        await Infrastructure.Browser.ScreenshotAsync(page, "collection-02-progress");
        _provider.Delay = TimeSpan.Zero;

        await Assertions.Expect(row.Locator(".collection-state")).ToContainTextAsync("Finished", new() { Timeout = 60_000 });
        await Assertions.Expect(row.Locator(".collection-progress")).ToContainTextAsync("30 messages in the archive, 30 of them new to it.");
        await Assertions.Expect(row).ToContainTextAsync("2025-03-01 to 2025-03-31");
        await Assertions.Expect(row).ToContainTextAsync("(every message)");
        await Infrastructure.Browser.ScreenshotAsync(page, "collection-03-finished");
        await Accessibility.AssertNoViolationsAsync(page);

        // The request's page shows the collection and its timeline says who asked for what.
        await page.GetByRole(AriaRole.Link, new() { Name = request.TrackingNumber, Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#collections")).ToContainTextAsync("30 messages in the archive");
        await Assertions.Expect(page.Locator("#timeline")).ToContainTextAsync($"Mail collection asked for: {custodian}");
        await Assertions.Expect(page.Locator("#timeline")).ToContainTextAsync("Mail collection finished");
        await Infrastructure.Browser.ScreenshotAsync(page, "collection-04-request-page");

        // The mail is in the archive search under the custodian.
        await page.GotoAsync($"/archive?q={Uri.EscapeDataString($"buses AND {run}")}&custodian={Uri.EscapeDataString(custodian)}");
        await Assertions.Expect(page.Locator("#hit-count")).ToContainTextAsync("30 hits");
        await Infrastructure.Browser.ScreenshotAsync(page, "collection-05-archive-search");
    }
}
