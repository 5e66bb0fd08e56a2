using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Intake;
using RecordsRequests.Features.Status;
using RecordsRequests.IntegrationTests.Infrastructure;
using RecordsRequests.IntegrationTests.Intake;

namespace RecordsRequests.IntegrationTests.Security;

/// <summary>The pages of issue 15 as people see them in chromium: the form, its replay refusal, sign-in, held replies, the admin's view.</summary>
[Collection(Lanes.Browser)]
public class PublicDoorBrowserTests(TestDatabase database) : IAsyncLifetime
{
    private BrowserApp _session = null!;

    public async Task InitializeAsync() => _session = await database.StartBrowserTestAsync();

    public async Task DisposeAsync() => await _session.DisposeAsync();

    [Fact]
    public async Task PublicForm_HidesItsTrapFromPeople_AndRefusesASecondSendOfTheSameForm()
    {
        var page = await _session.NewPageAsync();
        await page.GotoAsync("/submit");
        await Accessibility.AssertNoViolationsAsync(page);
        var trap = await page.Locator("#Website").BoundingBoxAsync();
        Assert.True(trap is null || trap.X + trap.Width <= 0, "the honeypot field must be out of sight");
        var ticket = await page.Locator("#Ticket").InputValueAsync();
        await page.GetByLabel("E-mail address").FillAsync("careful.parent@example.org");
        await page.GetByLabel("Records you are requesting").FillAsync($"Bus route maps for 2026 ({Guid.NewGuid():N})");
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit request" }).ClickAsync();
        await Assertions.Expect(page.Locator("#tracking-number")).ToBeVisibleAsync();

        // The same filled-in form sent again (a replayed capture, or a resend of a stale page) opens nothing.
        await page.GotoAsync("/submit");
        await page.Locator("#Ticket").EvaluateAsync("(field, value) => field.value = value", ticket);
        await page.GetByLabel("E-mail address").FillAsync("careful.parent@example.org");
        await page.GetByLabel("Records you are requesting").FillAsync("The same request again");
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit request" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("This form was already sent");
        await Infrastructure.Browser.ScreenshotAsync(page, "security-01-form-sent-twice");
        await Accessibility.AssertNoViolationsAsync(page);
    }

    [Fact]
    public async Task AMistypedLink_ShowsTheDistrictsPageSayingHowToGetHelp()
    {
        var page = await _session.NewPageAsync();
        var errors = BrowserSignIn.ListenForErrors(page);
        var response = await page.GotoAsync("/status/this-link-was-cut-short-in-the-mail-program");
        Assert.Equal(404, response!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "We could not find that page" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("with your tracking number");
        await Accessibility.AssertNoViolationsAsync(page);
        await Infrastructure.Browser.ScreenshotAsync(page, "security-06-district-not-found");
        // Chromium reports the page's own 404 status in the console; anything else (a blocked style, a missing icon) is a defect.
        var others = errors.Where(e => !e.Contains("the server responded with a status of 404", StringComparison.Ordinal)).ToList();
        Assert.True(others.Count == 0 && errors.Count <= 1, string.Join("\n", errors));
    }

    [Fact]
    public async Task StrangersReply_WaitsForAnOfficer_AndIsNotOnTheRequestersStatusPage()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        // Each message in its own scope, as each channel delivers them.
        async Task<IntakeResult> ReceiveAsync(byte[] raw)
        {
            await using var scope = _session.App.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<MailIntake>().ReceiveAsync(raw, IntakeSource.CommandLine, "test", CancellationToken.None);
        }
        var opened = await ReceiveAsync(IntakeTestMail.NewRequest($"Robin Parent <robin-{run}@home.example>", "Bus contracts", "Please send the 2025 bus contracts."));
        var held = await ReceiveAsync(IntakeTestMail.NewRequest($"Robin Parent <robin-{run}@home.example>", $"Re: [{opened.TrackingNumber}] We received your records request",
            $"I withdraw this request ({run})."));
        Assert.Equal(IntakeClassification.UnprovenReply, held.Classification);
        string statusPath;
        await using (var scope = _session.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var requestId = await db.Requests.Where(r => r.TrackingNumber == opened.TrackingNumber).Select(r => r.Id).SingleAsync();
            statusPath = StatusLinks.Path(scope.ServiceProvider.GetRequiredService<StatusLinks>().Issue(requestId, "test"));
            await db.SaveChangesAsync();
        }

        var requester = await _session.NewPageAsync();
        await requester.GotoAsync(statusPath);
        await Assertions.Expect(requester.Locator("#messages")).ToBeVisibleAsync();
        await Assertions.Expect(requester.Locator("#messages")).Not.ToContainTextAsync("withdraw");
        await Infrastructure.Browser.ScreenshotAsync(requester, "security-02-status-page-without-the-strangers-reply");

        var officer = await SignedInPageAsync(Roles.RecordsOfficer);
        await officer.GotoAsync("/intake/quarantine");
        var row = officer.Locator("#held-replies tr", new() { HasText = opened.TrackingNumber! });
        await Assertions.Expect(row.First).ToContainTextAsync("could not be verified");
        await Infrastructure.Browser.ScreenshotAsync(officer, "security-03-officer-sees-held-reply");
        await Accessibility.AssertNoViolationsAsync(officer);

        await row.First.GetByRole(AriaRole.Button, new() { Name = $"Add to {opened.TrackingNumber} as the requester's reply" }).ClickAsync();
        await Assertions.Expect(officer.GetByRole(AriaRole.Status)).ToContainTextAsync($"Added to {opened.TrackingNumber}");
        await requester.ReloadAsync();
        await Assertions.Expect(requester.Locator("#messages")).ToContainTextAsync("withdraw");
    }

    [Fact]
    public async Task SignInFailures_ShowTheSameWords_AndAppearOnTheAdminPage()
    {
        var page = await _session.NewPageAsync();
        await page.GotoAsync("/account/sign-in");
        await page.GetByLabel("E-mail").FillAsync($"nobody-{Guid.NewGuid():N}@district.example");
        await page.GetByLabel("Password").FillAsync("Guessing-123456");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync(SignInModel.Incorrect);
        await Infrastructure.Browser.ScreenshotAsync(page, "security-04-sign-in-refused");

        var admin = await SignedInPageAsync(Roles.Admin);
        await admin.GotoAsync("/admin/abuse");
        await Assertions.Expect(admin.Locator("#tallies")).ToContainTextAsync("wrong password or unknown account");
        await Assertions.Expect(admin.Locator("#limits")).ToContainTextAsync("Accounts are never locked by failures");
        await Infrastructure.Browser.ScreenshotAsync(admin, "security-05-admin-public-doors");
        await Accessibility.AssertNoViolationsAsync(admin);
    }

    private async Task<IPage> SignedInPageAsync(string role)
    {
        var email = await WebSession.CreateStaffAsync(_session.App, role);
        var page = await (await _session.NewContextAsync()).NewPageAsync();
        await page.GotoAsync("/account/sign-in");
        await WebSession.SignInInBrowserAsync(page, email);
        await Infrastructure.Browser.WaitToLeaveAsync(page, new Regex("/account/sign-in"));
        return page;
    }
}
