using Microsoft.Playwright;
using RecordsRequests.Features.Accounts;
using RecordsRequests.IntegrationTests.Infrastructure;

namespace RecordsRequests.IntegrationTests.Browser;

[Collection(Lanes.Browser)]
public class DistrictProfileBrowserTests(TestDatabase database) : IAsyncLifetime
{
    private BrowserApp _session = null!;

    public async Task InitializeAsync() => _session = await database.StartBrowserTestAsync();

    public async Task DisposeAsync() => await _session.DisposeAsync();

    [Fact]
    public async Task Admin_SeesTheDistrictsPublicNumbersAndAddresses_ThatDetectionNeverSuggests()
    {
        var email = await WebSession.CreateStaffAsync(_session.App, Roles.Admin);
        var admin = await _session.NewPageAsync();
        await admin.GotoAsync("/admin");
        await WebSession.SignInInBrowserAsync(admin, email);
        await Assertions.Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "District profile" })).ToBeVisibleAsync();

        var profile = admin.Locator("#district-profile");
        await Assertions.Expect(profile).ToContainTextAsync("Demo Public Schools");
        await Assertions.Expect(admin.Locator("#public-contact-details li")).ToContainTextAsync(["100 Main Street, Westfield, MA 01085", "413-555-0100"]);
        await Assertions.Expect(profile).ToContainTextAsync("Never suggested for redaction");
        await Accessibility.AssertNoViolationsAsync(admin);
        await Infrastructure.Browser.ScreenshotAsync(admin, "admin-district-profile");
    }
}
