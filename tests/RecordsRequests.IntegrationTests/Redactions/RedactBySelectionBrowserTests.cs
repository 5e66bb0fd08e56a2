using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Records;
using RecordsRequests.Features.Redactions;
using RecordsRequests.Features.Requests;
using RecordsRequests.IntegrationTests.Infrastructure;
using Record = RecordsRequests.Features.Records.Record;

namespace RecordsRequests.IntegrationTests.Redactions;

/// <summary>
/// page-viewer.js in a real browser: words selected on the page picture with the mouse or the keyboard become a
/// redaction of exactly those words; an area typed in the form shows on the page and is nudged from the keyboard.
/// </summary>
[Collection(Lanes.BrowserCasework)]
public sealed class RedactBySelectionBrowserTests(TestDatabase database) : IAsyncLifetime
{
    // A detected phone number before the name, and a second line for the keyboard's up and down arrows.
    private const string Note = "Call 413-555-0142 about Maya Okafor before Friday.\nThe office closes at four.\n";

    private BrowserApp _session = null!;

    public async Task InitializeAsync() => _session = await database.StartBrowserTestAsync();

    public async Task DisposeAsync() => await _session.DisposeAsync();

    [Fact]
    public async Task Officer_DragsOverWordsOnThePage_AndTheRedactionCoversExactlyThoseWords()
    {
        var (tracking, recordId) = await CreateRecordAsync(suggest: true);
        var page = await SignedInOfficerAsync($"/requests/{tracking}/records/{recordId}");
        await Assertions.Expect(page.Locator(".box.suggested")).ToHaveCountAsync(1);
        var suggested = await QueryAsync(db => db.Set<Redaction>().SingleAsync(r => r.RecordId == recordId));
        await Assertions.Expect(page.Locator(".box.suggested .box-label")).ToHaveTextAsync(suggested.ExemptionCode);

        await PageViewerDriver.DragOverWordsAsync(page, "Maya Okafor");

        await Assertions.Expect(page.Locator("#add-redaction-selection")).ToHaveTextAsync("Maya Okafor (page 1)");
        await Assertions.Expect(page.Locator(".word.selected")).ToHaveCountAsync(2);
        await page.Locator("#add-redaction-category").SelectOptionAsync(new SelectOptionValue { Label = "Student's name" });
        await Infrastructure.Browser.ScreenshotAsync(page, "redaction-01-words-selected");
        await page.GetByRole(AriaRole.Button, new() { Name = "Redact the words" }).ClickAsync();

        await Assertions.Expect(page.Locator("#record-message")).ToHaveTextAsync("Redaction added: “Maya Okafor” on page 1.");
        await Assertions.Expect(page.Locator(".box.accepted")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#add-redaction-start")).ToHaveValueAsync("");
        await Infrastructure.Browser.ScreenshotAsync(page, "redaction-02-words-redacted");
        var added = await QueryAsync(db => db.Set<Redaction>().SingleAsync(r => r.RecordId == recordId && r.Category == RedactionCategory.StudentName));
        Assert.Equal("Maya Okafor", added.Text);
        Assert.Equal(RedactionStatus.Accepted, added.Status);
        Assert.Equal(1, added.Boxes.Single().Page);
    }

    [Fact]
    public async Task Officer_WithTheKeyboardOnly_SelectsWordsAndPlacesABox()
    {
        var (tracking, recordId) = await CreateRecordAsync(suggest: false);
        var page = await SignedInOfficerAsync($"/requests/{tracking}/records/{recordId}");

        // Words: focus the page's word list, Home selects the first word, Down goes to the next line, Shift+Right extends.
        await page.Locator(".page-words").First.FocusAsync();
        await page.Keyboard.PressAsync("Home");
        await Assertions.Expect(page.Locator("#add-redaction-selection")).ToHaveTextAsync("Call (page 1)");
        await page.Keyboard.PressAsync("ArrowDown");
        await page.Keyboard.PressAsync("Shift+ArrowRight");
        await Assertions.Expect(page.Locator("#add-redaction-selection")).ToHaveTextAsync("The office (page 1)");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Redact the words" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#record-message")).ToHaveTextAsync("Redaction added: “The office” on page 1.");

        // An area: typed coordinates show as a box on the page; with the focus on it, Ctrl+Right widens it by a point and
        // Shift+Down moves it down ten; Enter redacts it.
        await page.Locator("#add-redaction-page").FillAsync("1");
        await page.Locator("#add-redaction-x").FillAsync("100");
        await page.Locator("#add-redaction-y").FillAsync("200");
        await page.Locator("#add-redaction-width").FillAsync("150");
        await page.Locator("#add-redaction-height").FillAsync("40");
        var draft = page.Locator(".box.draft");
        await Assertions.Expect(draft).ToBeVisibleAsync();
        await draft.FocusAsync();
        await page.Keyboard.PressAsync("Control+ArrowRight");
        await page.Keyboard.PressAsync("Shift+ArrowDown");
        await Assertions.Expect(page.Locator("#add-redaction-width")).ToHaveValueAsync("151");
        await Assertions.Expect(page.Locator("#add-redaction-y")).ToHaveValueAsync("210");
        await Infrastructure.Browser.ScreenshotAsync(page, "redaction-03-box-by-keyboard");
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.Locator("#record-message")).ToContainTextAsync("Area redacted on page 1");
        var area = await QueryAsync(db => db.Set<Redaction>().SingleAsync(r => r.RecordId == recordId && r.Kind == RedactionKind.Area));
        Assert.Equal(new RecordsRequests.Features.Documents.PageBox(1, 100, 210, 151, 40), area.Boxes.Single());
        await Assertions.Expect(page.Locator(".box.accepted.area")).ToHaveCountAsync(1);
    }

    private async Task<IPage> SignedInOfficerAsync(string then)
    {
        var email = await WebSession.CreateStaffAsync(_session.App, Roles.RecordsOfficer);
        var page = await _session.NewPageAsync();
        await page.GotoAsync(then);
        await WebSession.SignInInBrowserAsync(page, email);
        await Infrastructure.Browser.WaitForAddressAsync(page, new Regex(Regex.Escape(then) + "$"));
        await Assertions.Expect(page.Locator(".page-viewer.ready")).ToBeVisibleAsync();
        return page;
    }

    private async Task<(string Tracking, Guid RecordId)> CreateRecordAsync(bool suggest)
    {
        await using var scope = _session.App.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var request = await services.GetRequiredService<SubmitRequest>().HandleAsync(
            new SubmitRequest.Input { Email = "requester@example.org", Description = "Office notes" }, RequestChannel.WebForm, CitedLaw.None, default);
        var stored = await services.GetRequiredService<ContentStore>().PutAsync(Encoding.UTF8.GetBytes(Note), default);
        var record = Record.Attach(request.Id, "note.txt", "text/plain", stored.Length, stored.Sha256, RecordSource.Upload, "officer", DateTimeOffset.UtcNow);
        var db = services.GetRequiredService<AppDbContext>();
        db.Add(record);
        await db.SaveChangesAsync();
        RecordPagesWait.Enqueue(services, record.Id);
        await RecordPagesWait.UntilReadyAsync(_session.App.Services, record.Id);
        if (suggest)
        {
            await using var fresh = _session.App.Services.CreateAsyncScope();
            var result = await fresh.ServiceProvider.GetRequiredService<RedactionReview>().SuggestAsync(request.Id, null, default);
            Assert.True(result.Added >= 1, string.Join("; ", result.NotReady));
        }
        return (request.TrackingNumber, record.Id);
    }

    private async Task<T> QueryAsync<T>(Func<AppDbContext, Task<T>> query)
    {
        await using var scope = _session.App.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }
}
