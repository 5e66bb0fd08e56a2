using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Archive;
using RecordsRequests.IntegrationTests.Archive;
using RecordsRequests.IntegrationTests.Infrastructure;

namespace RecordsRequests.IntegrationTests.Browser;

/// <summary>
/// An officer limits a word to the body (issue 19: bodies are indexed once, among every text of an item): the message
/// with the word only in its subject is not a hit, the one with it in its body is, with the word marked in its snippet.
/// </summary>
[Collection(Lanes.Browser)]
public sealed class ArchiveSearchBrowserTests(TestDatabase database) : IAsyncLifetime
{
    private readonly ArchiveFixture _mail = new();
    private BrowserApp _session = null!;

    public async Task InitializeAsync() => _session = await database.StartBrowserTestAsync();

    public async Task DisposeAsync()
    {
        await _session.DisposeAsync();
        _mail.Dispose();
    }

    [Fact]
    public async Task Officer_LimitsAWordToTheBody_AndSeesOnlyTheMessageWhoseBodyHasIt_WithTheWordMarked()
    {
        await using (var scope = _session.App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ArchiveImporter>().ImportAsync(_mail.Principal, _mail.PrincipalCustodian, null, CancellationToken.None);
        }
        var (officer, errors) = await BrowserSignIn.SignInAsync(_session, Roles.RecordsOfficer, "/archive");

        await officer.Locator("#q").FillAsync($"budget AND {_mail.Token}");
        await officer.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Assertions.Expect(officer.Locator("#hit-count")).ToContainTextAsync("2 hits");

        await officer.Locator("#q").FillAsync($"body:budget AND {_mail.Token}");
        await officer.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Assertions.Expect(officer.Locator("#hit-count")).ToContainTextAsync("1 hit ·");
        var hit = officer.Locator("ol.hits > li");
        await Assertions.Expect(hit).ToHaveCountAsync(1);
        await Assertions.Expect(hit).ToContainTextAsync($"School committee agenda {_mail.Token}");
        await Assertions.Expect(hit.Locator(".snippet mark").First).ToHaveTextAsync("budget");
        await Accessibility.AssertNoViolationsAsync(officer);
        await Infrastructure.Browser.ScreenshotAsync(officer, "archive-search-limited-to-the-body");
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }
}
