using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Archive;
using RecordsRequests.Features.Requests;
using RecordsRequests.IntegrationTests.Infrastructure;
using UglyToad.PdfPig;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;

namespace RecordsRequests.IntegrationTests.Browser;

/// <summary>
/// Issue 8's walk-through in a real browser, each person in their own browser context: the requester submits the form;
/// an officer finds the request at the top of the queue, triages it, attaches archive hits, redacts and sends to
/// counsel; counsel approve; the officer releases; the requester's status link shows the release and the redacted PDF.
/// Its database is emptied before it starts, so "the top of the queue" means what an officer would see.
/// </summary>
[Collection(Lanes.BrowserCasework)]
public sealed class EndToEndTests(TestDatabase database) : IAsyncLifetime
{
    private const string StudentName = "Maya Okafor";
    private const string Phone = "413-555-0142";

    private readonly TestDatabase _database = database;
    private readonly string _token = $"e2e{Guid.NewGuid():N}"[..14];
    private readonly string _archive = Directory.CreateTempSubdirectory("e2e-archive-").FullName;
    private BrowserApp _session = null!;
    private int _step;

    public async Task InitializeAsync()
    {
        _session = await _database.StartBrowserTestAsync();
    }

    public async Task DisposeAsync()
    {
        await _session.DisposeAsync();
        Directory.Delete(_archive, recursive: true);
    }

    [Fact]
    public async Task Requester_Officer_Counsel_FromTheFormToTheRedactedPdfOnTheStatusPage()
    {
        await ImportArchiveAsync();
        var description = $"All e-mail about the playground fence in October 2025 ({_token})";

        // 1. The requester submits the public form and keeps the status link it shows.
        var requester = await NewPageAsync();
        await requester.GotoAsync("/submit");
        await Accessibility.AssertNoViolationsAsync(requester);
        await requester.GetByLabel("Your name (optional)").FillAsync("Jordan Reyes");
        await requester.GetByLabel("E-mail address").FillAsync("jordan.reyes@example.org");
        await requester.GetByLabel("Records you are requesting").FillAsync(description);
        await ShotAsync(requester, "requester-fills-form");
        await requester.GetByRole(AriaRole.Button, new() { Name = "Submit request" }).ClickAsync();
        var tracking = await requester.Locator("#tracking-number").InnerTextAsync();
        Assert.Matches(@"^PRR-\d{4}-\d{4,}$", tracking);
        var statusPath = await requester.Locator("#status-link").GetAttributeAsync("href");
        Assert.Matches("^/status/[A-Za-z0-9_-]{43}$", statusPath);
        await Accessibility.AssertNoViolationsAsync(requester);
        await ShotAsync(requester, "requester-confirmation-with-status-link");
        await requester.GotoAsync(statusPath!);
        await Assertions.Expect(requester.Locator("#no-files")).ToBeVisibleAsync();
        await Accessibility.AssertNoViolationsAsync(requester);
        await ShotAsync(requester, "requester-status-before-release");
        // A later request, due later, so the queue has something below ours.
        await SubmitLaterRequestAsync();

        // 2. The officer signs in and finds the request at the top of the queue.
        var officerEmail = await WebSession.CreateStaffAsync(_session.App, Roles.RecordsOfficer);
        var officer = await SignInAsync(officerEmail, "/dashboard");
        await Assertions.Expect(officer.GetByRole(AriaRole.Heading, new() { Name = "Request queue" })).ToBeVisibleAsync();
        await Assertions.Expect(officer.Locator("table.queue tbody tr").First.Locator("td").Nth(1)).ToHaveTextAsync(tracking);
        await Assertions.Expect(officer.Locator("table.queue tbody tr")).ToHaveCountAsync(2);
        await ShotAsync(officer, "officer-queue");
        await officer.Locator("table.queue tbody tr").First.GetByRole(AriaRole.Link, new() { Name = tracking }).ClickAsync();
        await Assertions.Expect(officer.Locator(".description")).ToHaveTextAsync(description);

        // Triage: a public-records request; the workflow moves it on to collecting.
        await DecideAsync(officer, tracking, "triage", "public-records");
        await ShotAsync(officer, "officer-triaged");

        // 3. Archive search, then attach the hits to the request.
        await officer.GotoAsync("/archive");
        await officer.GetByLabel("Query").FillAsync($"playground AND fence AND {_token}");
        await officer.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Assertions.Expect(officer.Locator("#hit-count strong")).ToHaveTextAsync("2");
        await officer.GetByLabel($"Playground fence incident {_token}").CheckAsync();
        await officer.GetByLabel($"Playground fence repair quote {_token}").CheckAsync();
        await officer.GetByLabel("Request tracking number").FillAsync(tracking);
        await ShotAsync(officer, "officer-archive-hits-selected");
        await officer.GetByRole(AriaRole.Button, new() { Name = "Attach" }).ClickAsync();
        await Assertions.Expect(officer.Locator("p.notice[role=status]")).ToContainTextAsync($"Attached 2 candidate records to {tracking}");
        await ShotAsync(officer, "officer-archive-attached");

        // Collection is complete: the request moves to review.
        await DecideAsync(officer, tracking, "collect", "collected");

        // 4. Records: both are responsive; detection suggests the phone number; the officer accepts it and redacts the
        //    student's name by dragging the mouse over it on the page. The records page follows their conversion by itself.
        var records = $"/requests/{tracking}/records";
        await officer.GotoAsync(records);
        await Assertions.Expect(officer.Locator("table.records tr.busy")).ToHaveCountAsync(0, new() { Timeout = (float)RecordPagesWait.Limit.TotalMilliseconds });
        await ShotAsync(officer, "officer-records-ready");
        foreach (var row in await officer.Locator("table.records tbody tr").AllAsync())
        {
            var name = await row.Locator("td.record-name a").InnerTextAsync();
            await row.GetByRole(AriaRole.Button, new() { Name = "Responsive", Exact = true }).ClickAsync();
            await Assertions.Expect(officer.Locator("#records-message")).ToHaveTextAsync($"{name}: Responsive.");
        }
        await officer.Locator("#detect").ClickAsync();
        await Assertions.Expect(officer.Locator("#records-message")).ToContainTextAsync("Detection found");
        await ShotAsync(officer, "officer-records-detected");
        await officer.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("incident", RegexOptions.IgnoreCase) }).ClickAsync();
        await Assertions.Expect(officer.Locator(".page-viewer img").First).ToBeVisibleAsync();
        await officer.Locator("table.redactions tr", new() { HasText = Phone }).GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
        await Assertions.Expect(officer.Locator("#record-message")).ToContainTextAsync("Accepted");
        var onPage = await PageViewerDriver.DragOverWordsAsync(officer, StudentName);
        await Assertions.Expect(officer.Locator("#add-redaction-selection")).ToHaveTextAsync($"{StudentName} (page {onPage})");
        await officer.Locator("#add-redaction-category").SelectOptionAsync(new SelectOptionValue { Label = "Student's name" });
        await officer.GetByRole(AriaRole.Button, new() { Name = "Redact the words" }).ClickAsync();
        await Assertions.Expect(officer.Locator("#record-message")).ToContainTextAsync("Redaction added");
        await ShotAsync(officer, "officer-redacted");
        // Whatever else detection suggested (e.g. staff addresses) the officer accepts as suggested, on every record.
        await AcceptRemainingSuggestionsAsync(officer, records);

        // 5. Send to counsel.
        await officer.GotoAsync(records);
        await officer.Locator("#send-to-counsel").ClickAsync();
        await Assertions.Expect(officer.Locator("#records-message")).ToHaveTextAsync("Sent to counsel.");
        await ShotAsync(officer, "officer-sent-to-counsel");

        // 6. Counsel sign in, find the request waiting and approve.
        var counsel = await SignInAsync(await WebSession.CreateStaffAsync(_session.App, Roles.Counsel), "/counsel");
        await counsel.GetByRole(AriaRole.Link, new() { Name = tracking }).ClickAsync();
        await Assertions.Expect(counsel.GetByRole(AriaRole.Heading, new() { Name = $"Counsel review of {tracking}" })).ToBeVisibleAsync();
        await counsel.GetByLabel("Comments").FillAsync("Redactions are supported by FERPA.");
        await ShotAsync(counsel, "counsel-review");
        await counsel.Locator("#approve").ClickAsync();
        await Assertions.Expect(counsel.Locator("#counsel-message")).ToContainTextAsync("Approved.");
        await ShotAsync(counsel, "counsel-approved");

        // 7. The officer releases.
        await officer.GotoAsync(records);
        await officer.Locator("#release").ClickAsync();
        await Assertions.Expect(officer.Locator("#release-plan")).ToBeVisibleAsync();
        await ShotAsync(officer, "officer-release-preview");
        await officer.Locator("#confirm-release").ClickAsync();
        await Assertions.Expect(officer.Locator("#release-link")).ToBeVisibleAsync();
        await ShotAsync(officer, "officer-released");

        // 8. The requester's status link shows the release; the redacted PDF opens and lacks what was withheld.
        await requester.GotoAsync(statusPath!);
        await Assertions.Expect(requester.Locator("li.milestone.current strong")).ToHaveTextAsync("Released");
        var record = requester.Locator("#released-files a", new() { HasTextRegex = new Regex(@"-000001\.pdf$") });
        await Assertions.Expect(record).ToHaveCountAsync(1);
        await Accessibility.AssertNoViolationsAsync(requester);
        await ShotAsync(requester, "requester-status-released");
        var pdf = await requester.Context.APIRequest.GetAsync((await record.GetAttributeAsync("href"))!);
        Assert.Equal(200, pdf.Status);
        Assert.Equal("application/pdf", pdf.Headers["content-type"]);
        var text = PdfText(await pdf.BodyAsync());
        Assert.Contains("playground fence", text, StringComparison.Ordinal);
        Assert.DoesNotContain(StudentName, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Phone, text, StringComparison.Ordinal);
    }

    private async Task ImportArchiveAsync()
    {
        var source = Path.Combine(AppContext.BaseDirectory, "TestData", "endtoend");
        foreach (var file in Directory.EnumerateFiles(source, "*.eml"))
        {
            await File.WriteAllTextAsync(Path.Combine(_archive, Path.GetFileName(file)), (await File.ReadAllTextAsync(file)).Replace("RUNID", _token, StringComparison.Ordinal));
        }
        await using var scope = _session.App.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ArchiveImporter>().ImportAsync(_archive, $"principal-{_token}", null, CancellationToken.None);
    }

    private async Task SubmitLaterRequestAsync()
    {
        await using var scope = _session.App.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SubmitRequest>().HandleAsync(
            new SubmitRequest.Input { Email = "someone.else@example.org", Description = "Cafeteria menus" }, RequestChannel.Email, CitedLaw.None,
            CancellationToken.None, DateTimeOffset.UtcNow.AddDays(7));
    }

    private async Task<IPage> NewPageAsync()
    {
        var context = await _session.NewContextAsync();
        return await context.NewPageAsync();
    }

    private async Task<IPage> SignInAsync(string email, string then)
    {
        var page = await NewPageAsync();
        await page.GotoAsync(then);
        await WebSession.SignInInBrowserAsync(page, email);
        await Infrastructure.Browser.WaitForAddressAsync(page, new Regex(Regex.Escape(then) + "$"));
        return page;
    }

    /// <summary>The workflow worker reaches the step within seconds; the officer reloads the request page until its form shows.</summary>
    private static async Task DecideAsync(IPage officer, string tracking, string step, string outcome)
    {
        var form = officer.Locator($".next-step[data-node='{step}'] form.decision");
        var button = RecordsRequests.Features.Workflow.LifecycleWords.For(step, outcome).Button;
        for (var attempt = 0; attempt < 60; attempt++)
        {
            await officer.GotoAsync($"/requests/{tracking}");
            if (await form.CountAsync() == 1)
            {
                break;
            }
            await Task.Delay(500);
        }
        await form.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).ClickAsync();
        await Assertions.Expect(officer.Locator(".lifecycle .notice")).ToContainTextAsync($"Recorded: {button}");
    }

    private static async Task AcceptRemainingSuggestionsAsync(IPage officer, string records)
    {
        await officer.GotoAsync(records);
        var links = await officer.Locator("table.records tbody tr td.record-name a").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))");
        foreach (var link in links)
        {
            await officer.GotoAsync(link);
            if (await officer.Locator("table.redactions tr.suggested").CountAsync() > 0)
            {
                await officer.GetByRole(AriaRole.Button, new() { Name = "Accept every suggestion" }).ClickAsync();
                await Assertions.Expect(officer.Locator("table.redactions tr.suggested")).ToHaveCountAsync(0);
            }
        }
    }

    private async Task ShotAsync(IPage page, string name) => await Infrastructure.Browser.ScreenshotAsync(page, $"e2e-{++_step:D2}-{name}");

    private static string PdfText(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return Regex.Replace(string.Join(" ", document.GetPages().Select(p => ContentOrderTextExtractor.GetText(p))), @"\s+", " ");
    }
}
