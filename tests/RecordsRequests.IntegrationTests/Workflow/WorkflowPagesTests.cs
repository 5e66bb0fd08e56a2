using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Requests;
using RecordsRequests.Features.Workflow;
using RecordsRequests.IntegrationTests.Infrastructure;

namespace RecordsRequests.IntegrationTests.Workflow;

[Collection(DatabaseCollection.Name)]
public partial class WorkflowPagesTests(TestDatabase database) : IAsyncLifetime
{
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync(database);

    public async Task DisposeAsync() => await _app.DisposeAsync();

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

        var page = await WaitForPageAsync(officer, $"/requests/{request.TrackingNumber}", "Next: triage");
        Assert.Contains("value=\"public-records\"", page, StringComparison.Ordinal);
        Assert.Contains("value=\"student-record\"", page, StringComparison.Ordinal);

        var posted = await PostFromPageAsync(officer, page, $"/requests/{request.TrackingNumber}/decide",
            new() { ["Event"] = nameof(LifecycleEvent.TriageDecided), ["Outcome"] = "public-records", ["Comments"] = "" });
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);

        page = await WaitForPageAsync(officer, $"/requests/{request.TrackingNumber}", "Next: collect");
        Assert.Contains("Collecting", page, StringComparison.Ordinal);
        Assert.Contains("triage · Complete → public-records", WebUtility.HtmlDecode(page), StringComparison.Ordinal);
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

        var page = await WaitForPageAsync(officer, $"/requests/{request.TrackingNumber}", "Next: counsel");
        Assert.Contains($"href=\"/counsel/{request.TrackingNumber}\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("value=\"approved\"", page, StringComparison.Ordinal);

        var posted = await PostFromPageAsync(officer, page, $"/requests/{request.TrackingNumber}/decide",
            new() { ["Event"] = nameof(LifecycleEvent.CounselDecided), ["Outcome"] = "approved", ["Comments"] = "" });
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        page = await officer.GetStringAsync($"/requests/{request.TrackingNumber}");
        Assert.Contains("Counsel approve or return this request on the counsel review page.", WebUtility.HtmlDecode(page), StringComparison.Ordinal);
        Assert.Contains("Next: counsel", page, StringComparison.Ordinal);
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
        await WaitForPageAsync(admin, $"/requests/{request.TrackingNumber}", "Next: triage");
        // Someone closed the request behind the workflow's back: entering "collect" now fails (Closed cannot become Collecting).
        await database.ScalarAsync($"UPDATE requests SET status = 'Closed' WHERE id = '{request.Id}'; SELECT 0");
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<RequestLifecycle>()
                .PublishAsync(request.Id, LifecycleEvent.TriageDecided, "public-records", null, CancellationToken.None);
            Assert.Equal(RequestLifecycle.PublishOutcome.Accepted, result.Outcome);
        }

        var page = await WaitForPageAsync(admin, "/admin/workflows", request.TrackingNumber);
        Assert.Contains("cannot become Collecting", page, StringComparison.Ordinal);
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
