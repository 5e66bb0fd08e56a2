using Microsoft.Playwright;
using RecordsRequests.Features.Accounts;
using RecordsRequests.IntegrationTests.Infrastructure;

namespace RecordsRequests.IntegrationTests.Browser;

[Collection(Lanes.Browser)]
public class SubmitAndQueueTests(TestDatabase database) : IAsyncLifetime
{
    private BrowserApp _session = null!;

    public async Task InitializeAsync() => _session = await database.StartBrowserTestAsync();

    public async Task DisposeAsync() => await _session.DisposeAsync();

    [Fact]
    public async Task AnonymousRequester_SubmitsTheForm_AndAnOfficerFindsTheRequest()
    {
        var description = $"Playwright check {Guid.NewGuid():N}: the school committee's 2026 budget drafts";
        var requester = await _session.NewPageAsync();
        await requester.GotoAsync("/submit");
        await requester.GetByLabel("E-mail address").FillAsync("anonymous.parent@example.org");
        await requester.GetByLabel("Records you are requesting").FillAsync(description);
        await Infrastructure.Browser.ScreenshotAsync(requester, "01-requester-fills-form");
        await requester.GetByRole(AriaRole.Button, new() { Name = "Submit request" }).ClickAsync();
        var tracking = requester.Locator("#tracking-number");
        await Assertions.Expect(tracking).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^PRR-\d{4}-\d{4,}$"));
        var trackingNumber = await tracking.InnerTextAsync();
        await Infrastructure.Browser.ScreenshotAsync(requester, "02-requester-sees-tracking-number");

        var email = await WebSession.CreateStaffAsync(_session.App, Roles.RecordsOfficer);
        var officer = await _session.NewPageAsync();
        await officer.GotoAsync("/dashboard");
        Assert.Contains("/account/sign-in", officer.Url, StringComparison.Ordinal);
        await WebSession.SignInInBrowserAsync(officer, email);
        await Assertions.Expect(officer.GetByRole(AriaRole.Heading, new() { Name = "Request queue" })).ToBeVisibleAsync();
        await Infrastructure.Browser.ScreenshotAsync(officer, "03-officer-queue");

        await officer.GetByRole(AriaRole.Link, new() { Name = trackingNumber }).ClickAsync();
        await Assertions.Expect(officer.Locator(".description")).ToHaveTextAsync(description);
        await Infrastructure.Browser.ScreenshotAsync(officer, "04-officer-request-page");
    }
}
