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
[Collection(Lanes.BrowserCasework)]
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

    public async Task InitializeAsync() => _session = await database.StartBrowserTestAsync();

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
        await Accessibility.AssertNoViolationsAsync(counsel);

        await row.GetByRole(AriaRole.Link, new() { Name = request.TrackingNumber }).ClickAsync();
        await Assertions.Expect(counsel.Locator("#summary-description")).ToHaveTextAsync("Bus driver overtime records for October");
        await Shot(counsel, "counsel-review");
        await Accessibility.AssertNoViolationsAsync(counsel);
        await AssertWordsOnlyAsync(counsel);
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
        await Accessibility.AssertNoViolationsAsync(officer);
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
    public async Task StaffPages_LogNoConsoleErrorOrCspViolation_ShowNoIdentifiers_AndPassAxe()
    {
        var request = await SubmitAsync("Snow-day policy e-mails");
        await Lifecycles.WaitAtAsync(_session.App.Services, request.Id, "triage");
        var (admin, errors) = await SignInAsync(Roles.Admin);
        string[] pages =
        [
            "/dashboard", $"/requests/{request.TrackingNumber}", $"/requests/{request.TrackingNumber}/clocks", $"/requests/{request.TrackingNumber}/write",
            $"/requests/{request.TrackingNumber}/records", $"/requests/{request.TrackingNumber}/release", "/archive", "/archive/import",
            "/admin", "/admin/workflows", "/admin/users", "/admin/closures", "/admin/regimes", "/admin/letters", "/admin/letters?kind=Release", "/admin/fees",
            "/admin/roster", "/admin/audit", "/admin/abuse", "/admin/exemptions", "/admin/mailbox", "/reports", "/account/tokens",
        ];
        var inaccessible = new List<string>();
        foreach (var path in pages)
        {
            await admin.GotoAsync(path);
            await Shot(admin, "admin" + path.Replace('/', '-').Replace('?', '-').Replace('=', '-'));
            await AssertWordsOnlyAsync(admin);
            inaccessible.AddRange(await Accessibility.ViolationsAsync(admin));
        }
        Assert.True(inaccessible.Count == 0, "WCAG 2.1 AA violations on staff pages:\n" + string.Join("\n", inaccessible));
        // Roles in words, on an officer's row made here (test accounts are named after their role, so only the role
        // column is checked).
        await WebSession.CreateStaffAsync(_session.App, Roles.RecordsOfficer);
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

    private async Task<(IPage Page, IReadOnlyList<string> Errors)> SignInAsync(string role)
    {
        var staff = await BrowserSignIn.SignInAsync(_session, role);
        return (staff.Page, staff.Errors);
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
