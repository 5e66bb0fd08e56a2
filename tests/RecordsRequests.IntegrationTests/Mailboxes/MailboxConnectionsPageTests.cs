using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Audit;
using RecordsRequests.Features.Mailboxes;
using RecordsRequests.IntegrationTests.Infrastructure;

namespace RecordsRequests.IntegrationTests.Mailboxes;

/// <summary>The administrator's page of mailbox connections, in chromium, against the provider double.</summary>
[Collection(Lanes.BrowserOwnHosts)]
public sealed class MailboxConnectionsPageTests(TestDatabase database) : IAsyncLifetime
{
    private ProviderDouble _provider = null!;
    private BrowserApp _session = null!;

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        _provider = await ProviderDouble.StartAsync();
        _session = await BrowserApp.StartAsync(database, _provider.Settings("https://intranet.district.example/records/README.html"));
    }

    public async Task DisposeAsync()
    {
        await _session.DisposeAsync();
        await _provider.DisposeAsync();
    }

    [Fact]
    public async Task Admin_AddsTestsAndDisablesAConnection_AndNeverSeesTheSecretAgain()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var address = $"records-{run}@district.example";
        _provider.Mailbox(address).Deliver(MailboxConnectionTests.Request(run, 1));
        _provider.AccessPolicy.Add(address);
        var page = (await BrowserSignIn.SignInAsync(_session, Roles.Admin)).Page;

        await page.GotoAsync("/admin");
        await page.GetByRole(AriaRole.Link, new() { Name = "Mailbox connections (Microsoft 365, Google Workspace, IMAP)" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Microsoft 365 (Microsoft Graph, app registration)" }).ClickAsync();
        await page.GetByLabel("Name (how staff will know it)").FillAsync($"Records inbox {run}");
        await page.GetByLabel("Mailbox address").FillAsync(address);
        await page.GetByLabel("Directory (tenant) ID").FillAsync(ProviderDouble.Tenant);
        await page.GetByLabel("Application (client) ID").FillAsync(ProviderDouble.ClientId);
        await page.GetByLabel("Client secret (its value), or leave empty and upload a certificate").FillAsync(ProviderDouble.ClientSecret);
        await Infrastructure.Browser.ScreenshotAsync(page, "mailboxes-01-add-microsoft-365");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add connection" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("stored encrypted and will not be shown again");

        var row = page.Locator($"tr[data-connection='Records inbox {run}']");
        await row.GetByRole(AriaRole.Button, new() { Name = "Test connection" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Test passed. Signed in to Microsoft 365 and opened {address}");
        await Assertions.Expect(row.Locator(".test-outcome")).ToContainTextAsync("Passed");
        await Infrastructure.Browser.ScreenshotAsync(page, "mailboxes-02-test-passed");

        // A second connection whose mailbox the application access policy leaves out: the test says so and links the fix.
        var outsider = $"payroll-{run}@district.example";
        _provider.Mailbox(outsider);
        await page.GetByRole(AriaRole.Link, new() { Name = "Microsoft 365 (Microsoft Graph, app registration)" }).ClickAsync();
        await page.GetByLabel("Name (how staff will know it)").FillAsync($"Payroll {run}");
        await page.GetByLabel("Mailbox address").FillAsync(outsider);
        await page.GetByLabel("Directory (tenant) ID").FillAsync(ProviderDouble.Tenant);
        await page.GetByLabel("Application (client) ID").FillAsync(ProviderDouble.ClientId);
        await page.GetByLabel("Client secret (its value), or leave empty and upload a certificate").FillAsync(ProviderDouble.ClientSecret);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add connection" }).ClickAsync();
        await page.Locator($"tr[data-connection='Payroll {run}']").GetByRole(AriaRole.Button, new() { Name = "Test connection" }).ClickAsync();
        var alert = page.GetByRole(AriaRole.Alert);
        await Assertions.Expect(alert).ToContainTextAsync($"Test failed. The mailbox {outsider} is not in the application access policy");
        await Assertions.Expect(alert.GetByRole(AriaRole.Link, new() { Name = "Connecting a Microsoft 365 mailbox" }))
            .ToHaveAttributeAsync("href", "https://intranet.district.example/records/README.html#connecting-a-microsoft-365-mailbox");
        await Infrastructure.Browser.ScreenshotAsync(page, "mailboxes-03-test-failed-access-policy");

        await page.Locator($"tr[data-connection='Payroll {run}']").GetByRole(AriaRole.Button, new() { Name = "Disable" }).ClickAsync();
        await Assertions.Expect(page.Locator($"tr[data-connection='Payroll {run}']")).ToContainTextAsync("(disabled)");
        await Infrastructure.Browser.ScreenshotAsync(page, "mailboxes-04-list");
        await Accessibility.AssertNoViolationsAsync(page);

        // The secret is nowhere a person or the audit trail could read it.
        Assert.DoesNotContain(ProviderDouble.ClientSecret, await page.ContentAsync(), StringComparison.Ordinal);
        await using var scope = _session.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var stored = await db.Set<MailboxConnection>().AsNoTracking().SingleAsync(c => c.Mailbox == address);
        Assert.DoesNotContain(ProviderDouble.ClientSecret, System.Text.Encoding.UTF8.GetString(stored.ProtectedSecret), StringComparison.Ordinal);
        var audit = await db.Set<AuditEvent>().AsNoTracking().Where(e => e.EntityType == nameof(MailboxConnection) && e.EntityId == stored.Id.ToString()).ToListAsync();
        Assert.NotEmpty(audit);
        Assert.All(audit, e => Assert.DoesNotContain(ProviderDouble.ClientSecret, $"{e.Before?.RootElement.GetRawText()} {e.After?.RootElement.GetRawText()}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddForm_SaysWhatIsMissing_AndDoesNotSendTheSecretBack()
    {
        using var admin = _session.App.CreateClient();
        await WebSession.SignInAsync(admin, await WebSession.CreateStaffAsync(_session.App, Roles.Admin));
        var response = await WebSession.PostFormAsync(admin, "/admin/mailboxes?kind=Microsoft365&handler=Add", new()
        {
            ["Form.Name"] = "No tenant",
            ["Form.Mailbox"] = "records@district.example",
            ["Form.ClientId"] = ProviderDouble.ClientId,
            ["Form.ClientSecret"] = "typed-secret-42",
        });
        var html = System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("Enter the directory (tenant) ID.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("typed-secret-42", html, StringComparison.Ordinal);
    }
}
