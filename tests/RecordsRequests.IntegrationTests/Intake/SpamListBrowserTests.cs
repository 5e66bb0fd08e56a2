using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Intake;
using RecordsRequests.IntegrationTests.Infrastructure;
using RecordsRequests.IntegrationTests.Status;

namespace RecordsRequests.IntegrationTests.Intake;

/// <summary>The spam list as an officer uses it in chromium: found from the queue, read, and a message released after confirming.</summary>
[Collection(Lanes.Browser)]
public sealed class SpamListBrowserTests(TestDatabase database) : IAsyncLifetime
{
    private BrowserApp _session = null!;

    public async Task InitializeAsync() => _session = await database.StartBrowserTestAsync();

    public async Task DisposeAsync() => await _session.DisposeAsync();

    [Fact]
    public async Task Officer_FindsTheSpamListFromTheQueue_SeesWhyEachIsHeld_AndReleasesOneOnlyAfterConfirming()
    {
        SpamFilter.FromEnvironment();
        var run = Guid.NewGuid().ToString("N")[..8];
        var sender = $"prize-{run}@spam.example";
        await SpamTests.SendThroughListenerAsync(_session.App.Services, [(sender, SpamTests.Gtube(sender, run))]);
        var officer = await WebSession.CreateStaffAsync(_session.App, Roles.RecordsOfficer);
        var page = await _session.NewPageAsync();
        await page.GotoAsync("/dashboard");
        await WebSession.SignInInBrowserAsync(page, officer);

        await page.GetByRole(AriaRole.Link, new() { Name = "Mail held as spam" }).ClickAsync();
        await Infrastructure.Browser.WaitForAddressAsync(page, new Regex("/intake/spam$"));
        var row = page.Locator("#spam tbody tr", new() { HasText = $"You have won {run}" });
        await Assertions.Expect(row).ToContainTextAsync(sender);
        await Assertions.Expect(row).ToContainTextAsync("SpamAssassin scored it");
        await Assertions.Expect(row).ToContainTextAsync("Generic Test for Unsolicited Bulk Email");
        // Received time in the district's zone (December: Eastern Standard Time).
        await Assertions.Expect(row.Locator("td").First).ToHaveTextAsync(new Regex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2} EST$"));
        await Accessibility.AssertNoViolationsAsync(page);
        await Infrastructure.Browser.ScreenshotAsync(page, "spam-list");

        // The confirmation says what releasing does; saying no leaves the message where it was.
        var answer = false;
        string? question = null;
        page.Dialog += async (_, dialog) =>
        {
            question = dialog.Message;
            await (answer ? dialog.AcceptAsync() : dialog.DismissAsync());
        };
        await row.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Release") }).ClickAsync();
        Assert.Contains("a request is opened and acknowledged, with deadlines counted from", question, StringComparison.Ordinal);
        await Assertions.Expect(row).ToBeVisibleAsync();
        Assert.Equal(0, await database.ScalarAsync($"SELECT count(*) FROM requesters WHERE email = '{sender}'"));

        answer = true;
        await row.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Release") }).ClickAsync();
        await Assertions.Expect(page.Locator("#spam-notice")).ToContainTextAsync(new Regex(@"Released: request PRR-\d{4}-\d{4} was opened, counting from"));
        await Assertions.Expect(page.Locator("#spam tbody tr", new() { HasText = $"You have won {run}" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#released")).ToContainTextAsync($"by {officer}");
        await Accessibility.AssertNoViolationsAsync(page);
        await Infrastructure.Browser.ScreenshotAsync(page, "spam-list-released");

        var acknowledgement = await AddressConfirmationTests.AcknowledgementToAsync(_session.App, sender);
        Assert.NotEmpty(acknowledgement);
        await using var scope = _session.App.Services.CreateAsyncScope();
        var message = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Set<InboundMessage>().AsNoTracking().SingleAsync(m => m.FromAddress == sender);
        Assert.Equal(officer, message.ReleasedFromSpamBy);
        Assert.Equal(IntakeClassification.Request, message.Classification);
        // The release is audited once, under the officer's name (the event of the intake that followed carries the name too,
        // since an inbound message's events carry all of its values).
        Assert.Equal(1, await database.ScalarAsync(
            $"SELECT count(*) FROM audit_events WHERE entity_type = 'InboundMessage' AND entity_id = '{message.Id}' AND actor = '{officer}' AND after ->> 'ReleasedFromSpamBy' = '{officer}'"
            + " AND before ->> 'Classification' = 'Spam' AND after ->> 'Classification' = 'Pending'"));
    }
}
