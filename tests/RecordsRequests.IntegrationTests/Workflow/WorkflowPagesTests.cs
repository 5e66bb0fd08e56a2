using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Requests;
using RecordsRequests.Features.Workflow;
using RecordsRequests.IntegrationTests.Infrastructure;

namespace RecordsRequests.IntegrationTests.Workflow;

[Collection(Lanes.CasePages)]
public partial class WorkflowPagesTests(TestDatabase database) : IAsyncLifetime
{
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await database.StartTestAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<Request> SubmitAsync()
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SubmitRequest>().HandleAsync(
            new SubmitRequest.Input { Email = "robin@example.org", Description = "Snow-day policy e-mails" }, RequestChannel.Email, CitedLaw.None, CancellationToken.None);
    }

    private static async Task<string> WaitForPageAsync(HttpClient client, string path, string expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        string page;
        do
        {
            page = await client.GetStringAsync(path);
            if (page.Contains(expected, StringComparison.Ordinal))
            {
                return page;
            }
            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);
        Assert.Fail($"{path} never showed '{expected}'. Last page:\n{page}");
        return page;
    }

    private static async Task<HttpResponseMessage> PostFromPageAsync(HttpClient client, string page, string action, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = WebUtility.HtmlDecode(Token().Match(page).Groups[1].Value);
        return await client.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    [Fact]
    public async Task RequestPage_ShowsTheNextHumanAction_AndItsButtonMovesTheWorkflow()
    {
        var request = await SubmitAsync();
        using var officer = _app.CreateClient();
        await WebSession.SignInAsync(officer, await WebSession.CreateStaffAsync(_app, Roles.RecordsOfficer));

        var page = await WaitForPageAsync(officer, $"/requests/{request.TrackingNumber}", "data-node=\"triage\"");
        Assert.Contains("value=\"public-records\"", page, StringComparison.Ordinal);
        Assert.Contains("value=\"student-record\"", page, StringComparison.Ordinal);

        // Another officer keeps the page open while the step is taken: at no moment may it show the next step beside
        // the previous status (the page reads the workflow, then the request, whose status commits first).
        using var watcher = _app.CreateClient();
        await WebSession.SignInAsync(watcher, await WebSession.CreateStaffAsync(_app, Roles.RecordsOfficer));
        using var decided = new CancellationTokenSource();
        var watching = Task.Run(async () =>
        {
            var seen = new List<string>();
            while (!decided.IsCancellationRequested)
            {
                var during = await watcher.GetStringAsync($"/requests/{request.TrackingNumber}");
                seen.Add(during.Contains("data-node=\"collect\"", StringComparison.Ordinal) ? (during.Contains(">Collecting<", StringComparison.Ordinal) ? "collect, Collecting" : "collect, NOT Collecting") : "before");
                Assert.DoesNotContain("id=\"workflow-disagrees\"", during, StringComparison.Ordinal);
            }
            return seen;
        });
        var posted = await PostFromPageAsync(officer, page, $"/requests/{request.TrackingNumber}/decide",
            new() { ["Event"] = nameof(LifecycleEvent.TriageDecided), ["Outcome"] = "public-records", ["Comments"] = "" });
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        await decided.CancelAsync();
        Assert.DoesNotContain("collect, NOT Collecting", await watching);

        // The decision's answer waits for the engine: the very next page shows the next step, not the old buttons.
        page = WebUtility.HtmlDecode(await officer.GetStringAsync($"/requests/{request.TrackingNumber}"));
        Assert.Contains("data-node=\"collect\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-node=\"triage\"", page, StringComparison.Ordinal);
        Assert.Contains("Recorded: Public-records request.", page, StringComparison.Ordinal);
        Assert.Contains(">Collecting<", page, StringComparison.Ordinal);
        Assert.Contains("Triage → Public-records request", page, StringComparison.Ordinal);
        Assert.Contains("Records collected", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CounselStep_HasNoOfficerButtons_AndAPostedCounselDecisionIsRefused()
    {
        var request = await SubmitAsync();
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var lifecycle = scope.ServiceProvider.GetRequiredService<RequestLifecycle>();
            foreach (var (lifecycleEvent, outcome) in new[] { (LifecycleEvent.TriageDecided, "public-records"), (LifecycleEvent.CollectionCompleted, "collected"), (LifecycleEvent.ReviewCompleted, "ready") })
            {
                while ((await lifecycle.PublishAsync(request.Id, lifecycleEvent, outcome, null, CancellationToken.None)).Outcome != RequestLifecycle.PublishOutcome.Accepted)
                {
                    await Task.Delay(100);
                }
            }
        }
        using var officer = _app.CreateClient();
        await WebSession.SignInAsync(officer, await WebSession.CreateStaffAsync(_app, Roles.RecordsOfficer));

        var page = await WaitForPageAsync(officer, $"/requests/{request.TrackingNumber}", "data-node=\"counsel\"");
        Assert.Contains($"href=\"/counsel/{request.TrackingNumber}\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("value=\"approved\"", page, StringComparison.Ordinal);

        var posted = await PostFromPageAsync(officer, page, $"/requests/{request.TrackingNumber}/decide",
            new() { ["Event"] = nameof(LifecycleEvent.CounselDecided), ["Outcome"] = "approved", ["Comments"] = "" });
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        page = await officer.GetStringAsync($"/requests/{request.TrackingNumber}");
        Assert.Contains("Counsel approve or return this request on the counsel review page.", WebUtility.HtmlDecode(page), StringComparison.Ordinal);
        Assert.Contains("data-node=\"counsel\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DecidePage_IsForOfficersOnly()
    {
        var request = await SubmitAsync();
        using var counsel = _app.CreateClient();
        await WebSession.SignInAsync(counsel, await WebSession.CreateStaffAsync(_app, Roles.Counsel));
        // The page's policy covers its handlers: counsel is turned away before any handler runs.
        var response = await counsel.GetAsync($"/requests/{request.TrackingNumber}/decide");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/denied", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminPage_ListsAFailingInstance_AndTerminatesIt()
    {
        var request = await SubmitAsync();
        using var admin = _app.CreateClient();
        await WebSession.SignInAsync(admin, await WebSession.CreateStaffAsync(_app, Roles.Admin));
        await WaitForPageAsync(admin, $"/requests/{request.TrackingNumber}", "data-node=\"triage\"");
        // Someone closed the request behind the workflow's back: entering "collect" now fails (Closed cannot become Collecting).
        await database.ScalarAsync($"UPDATE requests SET status = 'Closed' WHERE id = '{request.Id}'; SELECT 0");
        // The admin check lists it at once: closed, yet its workflow waits at triage.
        var check = WebUtility.HtmlDecode(await admin.GetStringAsync("/admin/workflows"));
        Assert.Matches($"<tr><td><a href=\"/requests/{request.TrackingNumber}\">{request.TrackingNumber}</a></td><td>Closed</td><td>waits at “Triage”</td></tr>", check);
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<RequestLifecycle>()
                .PublishAsync(request.Id, LifecycleEvent.TriageDecided, "public-records", null, CancellationToken.None);
            Assert.Equal(RequestLifecycle.PublishOutcome.Accepted, result.Outcome);
        }

        // The request is listed at once as disagreeing with its workflow (closed, yet waiting at triage); the failing
        // step shows once the engine has tried it.
        var page = await WaitForPageAsync(admin, "/admin/workflows", "cannot become Collecting");
        Assert.Contains(request.TrackingNumber, page, StringComparison.Ordinal);
        var id = InstanceId().Match(page).Groups[1].Value;
        var posted = await PostFromPageAsync(admin, page, "/admin/workflows?handler=terminate", new() { ["id"] = id });
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);

        // Other tests share this database and may leave failing instances of their own: look for this one only.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await admin.GetStringAsync("/admin/workflows")).Contains(request.TrackingNumber, StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"{request.TrackingNumber} is still listed as failing after it was terminated.");
            await Task.Delay(100);
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    [GeneratedRegex("name=\"id\" value=\"([0-9a-f-]{36})\"")]
    private static partial Regex InstanceId();
}
