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

/// <summary>redact.js in a real browser: selecting text after a marked redaction fills in offsets into the record's text.</summary>
[Collection(DatabaseCollection.Name)]
public sealed class RedactBySelectionBrowserTests(TestDatabase database) : IAsyncLifetime
{
    // Starts with a newline (which an HTML <pre> would swallow) and puts a detected phone number before the name.
    private const string Note = "\nCall 413-555-0142 about Maya Okafor before Friday.\nThe office closes at four.\n";

    private BrowserApp _session = null!;

    public async Task InitializeAsync() => _session = await BrowserApp.StartAsync(database);

    public async Task DisposeAsync() => await _session.DisposeAsync();

    [Fact]
    public async Task Officer_SelectsTextInTheRecord_AndTheRedactionCoversExactlyThatText()
    {
        var (tracking, recordId) = await CreateRecordAsync();
        await using (var scope = _session.App.Services.CreateAsyncScope())
        {
            var requestId = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Set<Record>().Where(r => r.Id == recordId).Select(r => r.RequestId).SingleAsync();
            Assert.True((await scope.ServiceProvider.GetRequiredService<RedactionWorkflow>().SuggestAsync(requestId, null, default)).Added >= 1);
        }
        var email = await WebSession.CreateStaffAsync(_session.App, Roles.RecordsOfficer);
        var page = await _session.NewPageAsync();
        await page.GotoAsync("/account/sign-in");
        await page.GetByLabel("E-mail").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(WebSession.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.GotoAsync($"/requests/{tracking}/records/{recordId}");
        await Assertions.Expect(page.Locator("#record-text mark.redaction")).ToHaveCountAsync(1);

        // Select "Maya Okafor" the way a mouse drag does: a DOM range over the text node after the phone number's mark.
        await page.EvaluateAsync("""
            () => {
                const text = document.getElementById('record-text');
                const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
                let node;
                while ((node = walker.nextNode()) && !node.data.includes('Maya Okafor')) { }
                const at = node.data.indexOf('Maya Okafor');
                const range = document.createRange();
                range.setStart(node, at);
                range.setEnd(node, at + 'Maya Okafor'.length);
                const selection = document.getSelection();
                selection.removeAllRanges();
                selection.addRange(range);
            }
            """);
        var start = Note.IndexOf("Maya Okafor", StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("#Add_Start")).ToHaveValueAsync(start.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(page.Locator("#Add_End")).ToHaveValueAsync((start + 11).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(page.Locator("#selection")).ToHaveTextAsync("Maya Okafor");
        await page.Locator("#Add_Category").SelectOptionAsync(new SelectOptionValue { Label = nameof(RedactionCategory.StudentName) });
        await Infrastructure.Browser.ScreenshotAsync(page, "redaction-01-text-selected");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add redaction" }).ClickAsync();

        await Assertions.Expect(page.Locator("#record-message")).ToHaveTextAsync(new Regex("^Redaction added"));
        await Assertions.Expect(page.Locator("#Add_Start")).ToHaveValueAsync("");
        await Infrastructure.Browser.ScreenshotAsync(page, "redaction-02-added");
        await using var check = _session.App.Services.CreateAsyncScope();
        var added = await check.ServiceProvider.GetRequiredService<AppDbContext>().Set<Redaction>()
            .SingleAsync(r => r.RecordId == recordId && r.Category == RedactionCategory.StudentName);
        Assert.Equal("Maya Okafor", added.Text);
        Assert.Equal(RedactionStatus.Accepted, added.Status);
    }

    private async Task<(string Tracking, Guid RecordId)> CreateRecordAsync()
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
        return (request.TrackingNumber, record.Id);
    }
}
