using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Requests;
using RecordsRequests.IntegrationTests.Infrastructure;

namespace RecordsRequests.IntegrationTests.Browser;

/// <summary>
/// The staff workspace in chromium (issue 16): counsel land on their own queue; a decision on the request page comes
/// back showing the next step; the staff pages show words, not identifiers, and log no console error or CSP violation.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class WorkspaceBrowserTests(TestDatabase database) : IAsyncLifetime
{
    /// <summary>
    /// Identifiers that once reached staff screens; none may show as text again. ("public-records" is left out: it is
    /// also the English adjective, as in "public-records requests"; the triage test checks that button by its words.)
    /// </summary>
    private static readonly string[] Identifiers =
    [
        "@Model", "not-a-request", "student-record", "more-records", "no-records", "FeeEstimate", "FinalResponse",
        "AwaitingCounsel", "InTriage", "BusinessDays", "NewestFirst", "Request.StatusChanged", "Record.ViewedUnredacted", "Workflow.Decision",
        "TriageDecided", "Runnable", "request-lifecycle",
    ];

    private BrowserApp _session = null!;

    public async Task InitializeAsync() => _session = await BrowserApp.StartAsync(database);

    public async Task DisposeAsync() => await _session.DisposeAsync();

    [Fact]
    public async Task Counsel_SignIn_LandsOnTheCounselQueue_WithWhatWasAskedWhoAndWhen()
    {
        var request = await SubmitAsync("Bus driver overtime records for October");
        await Lifecycles.DriveToAsync(_session.App.Services, request.Id, "counsel");
        var (counsel, errors) = await SignInAsync(Roles.Counsel);

        await Assertions.Expect(counsel).ToHaveURLAsync(new Regex("/counsel$"));
        await Assertions.Expect(counsel.Locator("#nav-counsel")).ToBeVisibleAsync();
        await Assertions.Expect(counsel.Locator("header nav a[href='/dashboard']")).ToHaveCountAsync(0);
        var row = counsel.Locator("#counsel-queue tbody tr", new() { HasText = request.TrackingNumber });
        await Assertions.Expect(row).ToContainTextAsync("Bus driver overtime records for October");
        await Assertions.Expect(row).ToContainTextAsync("Robin Requester");
        await Shot(counsel, "counsel-queue");

        await row.GetByRole(AriaRole.Link, new() { Name = request.TrackingNumber }).ClickAsync();
        await Assertions.Expect(counsel.Locator("#summary-description")).ToHaveTextAsync("Bus driver overtime records for October");
        await Shot(counsel, "counsel-review");
        await counsel.GetByRole(AriaRole.Link, new() { Name = "The request page, with its timeline" }).ClickAsync();
        await Assertions.Expect(counsel.Locator("#description")).ToHaveTextAsync("Bus driver overtime records for October");
        // Counsel read the request; its actions stay the officers'.
        await Assertions.Expect(counsel.Locator("form.assign")).ToHaveCountAsync(0);
        await Assertions.Expect(counsel.Locator("form.decision")).ToHaveCountAsync(0);
        await Shot(counsel, "counsel-reads-request");
        await AssertWordsOnlyAsync(counsel);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Officer_TriageDecision_ComesBackShowingTheNextStep_InWords()
    {
        var request = await SubmitAsync("All e-mail about the playground fence");
        await Lifecycles.WaitAtAsync(_session.App.Services, request.Id, "triage");
        var (officer, errors) = await SignInAsync(Roles.RecordsOfficer);
        await officer.GotoAsync($"/requests/{request.TrackingNumber}");
        await Shot(officer, "request-triage");
        await AssertWordsOnlyAsync(officer);

        await officer.GetByRole(AriaRole.Button, new() { Name = "Public-records request", Exact = true }).ClickAsync();

        // No reload: the page the decision returns to already shows the next step and its buttons.
        await Assertions.Expect(officer.Locator("#workflow-message")).ToHaveTextAsync("Recorded: Public-records request.");
        await Assertions.Expect(officer.Locator(".next-step[data-node='collect'] h3")).ToHaveTextAsync("Collect the records");
        await Assertions.Expect(officer.Locator(".next-step[data-node='triage']")).ToHaveCountAsync(0);
        await Assertions.Expect(officer.Locator("#status")).ToHaveTextAsync("Collecting");
        await Assertions.Expect(officer.Locator("#timeline")).ToContainTextAsync("Status: In triage → Collecting");
        await Shot(officer, "request-collecting");
        await AssertWordsOnlyAsync(officer);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task StaffPages_LogNoConsoleErrorOrCspViolation_AndShowNoIdentifiers()
    {
        var request = await SubmitAsync("Snow-day policy e-mails");
        await Lifecycles.WaitAtAsync(_session.App.Services, request.Id, "triage");
        var (admin, errors) = await SignInAsync(Roles.Admin);
        string[] pages =
        [
            "/dashboard", $"/requests/{request.TrackingNumber}", $"/requests/{request.TrackingNumber}/clocks", $"/requests/{request.TrackingNumber}/write",
            "/admin", "/admin/workflows", "/admin/users", "/admin/closures", "/admin/regimes", "/admin/letters", "/admin/fees", "/reports",
        ];
        foreach (var path in pages)
        {
            await admin.GotoAsync(path);
            await Shot(admin, "admin" + path.Replace('/', '-'));
            await AssertWordsOnlyAsync(admin);
        }
        // Roles in words (test accounts are named after their role, so only the role column is checked).
        await admin.GotoAsync("/admin/users");
        var roles = await admin.Locator("table.queue tbody tr td:nth-child(3)").AllInnerTextsAsync();
        Assert.Contains(roles, r => r.Contains("Records access officer", StringComparison.Ordinal));
        Assert.DoesNotContain(roles, r => r.Contains("RecordsOfficer", StringComparison.Ordinal));
        Assert.True(errors.Count == 0, "Console errors:\n" + string.Join("\n", errors));
    }

    private async Task<Request> SubmitAsync(string description)
    {
        await using var scope = _session.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SubmitRequest>().HandleAsync(
            new SubmitRequest.Input { Name = "Robin Requester", Email = "robin@example.org", Description = description },
            RequestChannel.Email, CitedLaw.None, CancellationToken.None);
    }

    /// <summary>Signs in from the sign-in page (no return address), as staff do every morning; collects console errors and CSP violations.</summary>
    private async Task<(IPage Page, List<string> Errors)> SignInAsync(string role)
    {
        var email = await WebSession.CreateStaffAsync(_session.App, role);
        var context = await _session.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 768 } });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add($"{page.Url}: {message.Text}");
            }
        };
        page.PageError += (_, error) => errors.Add($"{page.Url}: {error}");
        await page.GotoAsync("/account/sign-in");
        await WebSession.SignInInBrowserAsync(page, email);
        await page.WaitForURLAsync(new Regex("/(dashboard|counsel)$"));
        return (page, errors);
    }

    private static async Task AssertWordsOnlyAsync(IPage page)
    {
        var text = await page.Locator("body").InnerTextAsync();
        var found = Identifiers.Where(i => text.Contains(i, StringComparison.Ordinal))
            .Select(i => $"{i} in “…{Around(text, text.IndexOf(i, StringComparison.Ordinal))}…”").ToList();
        Assert.True(found.Count == 0, $"{page.Url} shows identifiers: {string.Join("; ", found)}");
    }

    private static string Around(string text, int at) => text.Substring(Math.Max(0, at - 60), Math.Min(text.Length - Math.Max(0, at - 60), 120));

    private static Task Shot(IPage page, string name) => Infrastructure.Browser.ScreenshotAsync(page, "workspace-" + name);
}
