using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Intake;
using RecordsRequests.IntegrationTests.Infrastructure;
using RecordsRequests.IntegrationTests.Intake;

namespace RecordsRequests.IntegrationTests.Security;

/// <summary>The pages added for issue 15's second round, as people use them in chromium: two-factor setup and sign-in, the idle-time setting, address confirmation, refused drop-folder files.</summary>
[Collection(Lanes.Browser)]
public sealed class SecurityPagesBrowserTests(TestDatabase database) : IAsyncLifetime
{
    private BrowserApp _session = null!;

    public async Task InitializeAsync() => _session = await database.StartBrowserTestAsync();

    public async Task DisposeAsync()
    {
        await database.ScalarAsync("DELETE FROM session_policy; SELECT 0");
        await _session.DisposeAsync();
    }

    [Fact]
    public async Task Counsel_SetsUpTheAuthenticatorApp_ThenSignsInWithItsCode_AndAnAdminSetsTheIdleTime()
    {
        var email = await WebSession.CreateStaffAsync(_session.App, Roles.Counsel, enrolTwoFactor: false);
        var page = await (await _session.NewContextAsync()).NewPageAsync();
        await page.GotoAsync("/counsel");
        await page.GetByLabel("E-mail").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(WebSession.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();

        await Infrastructure.Browser.WaitForAddressAsync(page, new Regex(Regex.Escape(TwoFactor.SetupPage)));
        await Assertions.Expect(page.Locator("#two-factor-required")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#qr-code")).ToBeVisibleAsync();
        await Accessibility.AssertNoViolationsAsync(page);
        await Infrastructure.Browser.ScreenshotAsync(page, "security-2fa-setup");
        var key = (await page.Locator("#authenticator-key").InnerTextAsync()).Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        await page.GetByLabel("Code from the app").FillAsync(await Totp.FreshCodeAsync(key));
        await page.GetByRole(AriaRole.Button, new() { Name = "Turn on two-factor sign-in" }).ClickAsync();
        await Assertions.Expect(page.Locator("#recovery-codes li")).ToHaveCountAsync(10);
        await Infrastructure.Browser.ScreenshotAsync(page, "security-2fa-recovery-codes");
        await page.GetByRole(AriaRole.Link, new() { Name = "I have kept them: continue" }).ClickAsync();
        await Infrastructure.Browser.WaitForAddressAsync(page, new Regex("/counsel$"));

        var next = await (await _session.NewContextAsync()).NewPageAsync();
        await next.GotoAsync("/account/sign-in");
        await next.GetByLabel("E-mail").FillAsync(email);
        await next.GetByLabel("Password").FillAsync(WebSession.Password);
        await next.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Infrastructure.Browser.WaitForAddressAsync(next, new Regex(Regex.Escape(TwoFactor.CodePage)));
        await Accessibility.AssertNoViolationsAsync(next);
        await Infrastructure.Browser.ScreenshotAsync(next, "security-2fa-code");
        await next.GetByLabel("Code").FillAsync(await Totp.FreshCodeAsync(key));
        await next.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Infrastructure.Browser.WaitToLeaveAsync(next, new Regex("/account/"));

        var adminEmail = await WebSession.CreateStaffAsync(_session.App, Roles.Admin);
        var admin = await (await _session.NewContextAsync()).NewPageAsync();
        await admin.GotoAsync("/admin/sessions");
        await WebSession.SignInInBrowserAsync(admin, adminEmail);
        await Infrastructure.Browser.WaitForAddressAsync(admin, new Regex("/admin/sessions$"));
        await Assertions.Expect(admin.Locator("#idle-now")).ToContainTextAsync("30 minutes");
        await admin.GetByLabel("Minutes without activity before a session ends").FillAsync("45");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(admin.Locator("#sessions-notice")).ToContainTextAsync("Sessions now end after 45 minutes without activity");
        await Accessibility.AssertNoViolationsAsync(admin);
        await Infrastructure.Browser.ScreenshotAsync(admin, "security-admin-sessions");
    }

    [Fact]
    public async Task Requester_ConfirmsTheirAddressFromTheLink_AndOfficersSeeARefusedDropFolderFile()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var address = $"robin-{run}@confirm.example";
        await using (var scope = _session.App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<MailIntake>().ReceiveAsync(
                IntakeTestMail.NewRequest($"Robin <{address}>", $"Lunch menus {run}", "Please send the 2025 lunch menus."), IntakeSource.CommandLine, "browser", CancellationToken.None);
        }
        var acknowledgement = await RecordsRequests.IntegrationTests.Status.AddressConfirmationTests.AcknowledgementToAsync(_session.App, address);
        var statusPath = System.Text.RegularExpressions.Regex.Match(acknowledgement, "/status/[A-Za-z0-9_-]{43}").Value;
        var confirmPath = System.Text.RegularExpressions.Regex.Match(acknowledgement, "/confirm-address/[A-Za-z0-9_-]{43}").Value;
        var requester = await _session.NewPageAsync();
        await requester.GotoAsync(statusPath);
        await Assertions.Expect(requester.Locator("#address-state")).ToContainTextAsync("Not confirmed yet");
        await Infrastructure.Browser.ScreenshotAsync(requester, "security-status-address-unconfirmed");

        await requester.GotoAsync(confirmPath);
        await Accessibility.AssertNoViolationsAsync(requester);
        await Infrastructure.Browser.ScreenshotAsync(requester, "security-confirm-address");
        await requester.GetByRole(AriaRole.Button, new() { Name = "Yes, this is my address" }).ClickAsync();
        await Assertions.Expect(requester.Locator("#address-confirmed")).ToContainTextAsync($"{address} is confirmed as your address");
        await Infrastructure.Browser.ScreenshotAsync(requester, "security-address-confirmed");
        await requester.GotoAsync(statusPath);
        await Assertions.Expect(requester.Locator("#address-state")).ToContainTextAsync("Confirmed.");

        var watcher = ActivatorUtilities.CreateInstance<DropFolderWatcher>(_session.App.Services);
        Directory.CreateDirectory(watcher.Folder);
        File.CreateSymbolicLink(Path.Combine(watcher.Folder, $"from-elsewhere-{run}.eml"), "/etc/hostname");
        await watcher.ProcessFolderAsync(CancellationToken.None);
        var officerEmail = await WebSession.CreateStaffAsync(_session.App, Roles.RecordsOfficer);
        var officer = await _session.NewPageAsync();
        await officer.GotoAsync("/intake/quarantine");
        await WebSession.SignInInBrowserAsync(officer, officerEmail);
        await Assertions.Expect(officer.Locator("#refused-files")).ToContainTextAsync($"from-elsewhere-{run}.eml");
        await Assertions.Expect(officer.Locator("#refused-files")).ToContainTextAsync("it is a symbolic link");
        await Infrastructure.Browser.ScreenshotAsync(officer, "security-quarantine-refused-file");
    }
}
