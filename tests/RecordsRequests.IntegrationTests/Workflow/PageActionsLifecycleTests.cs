using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Mail;
using RecordsRequests.Features.Redactions;
using RecordsRequests.Features.Requests;
using RecordsRequests.Features.Workflow;
using RecordsRequests.IntegrationTests.Infrastructure;
using WorkflowCore.Models;

namespace RecordsRequests.IntegrationTests.Workflow;

/// <summary>
/// Every path of the lifecycle driven only by what officers and counsel click on pages (the request page's next-step
/// buttons, the records page's "send to counsel" and "release", the counsel page's approve and return). After each
/// click the page that comes back already shows the next step, and the request's status agrees with where its
/// workflow waits. A page action never skips an identity check or a pending petition.
/// </summary>
[Collection(Lanes.CasePages)]
public sealed partial class PageActionsLifecycleTests(TestDatabase database) : IAsyncLifetime
{
    private TestApp _app = null!;
    private HttpClient _officer = null!;
    private HttpClient _counsel = null!;
    private string _officerEmail = "";

    public async Task InitializeAsync()
    {
        _app = await database.StartTestAsync();
        _officer = _app.CreateClient();
        _officerEmail = await WebSession.CreateStaffAsync(_app, Roles.RecordsOfficer);
        await WebSession.SignInAsync(_officer, _officerEmail);
        _counsel = _app.CreateClient();
        await WebSession.SignInAsync(_counsel, await WebSession.CreateStaffAsync(_app, Roles.Counsel));
    }

    public Task DisposeAsync()
    {
        _officer.Dispose();
        _counsel.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task PublicRecords_SendToCounselFromCollecting_Approve_Release_Close()
    {
        var request = await SubmitAsync();
        await DecideAsync(request, "triage", "public-records", expectNext: "collect");
        await AddRedactedRecordAsync(request.Id);

        // "Send to counsel" while collecting completes collection and review on the way.
        Assert.Contains("Sent to counsel.", await PostAsync(_officer, $"/requests/{request.TrackingNumber}/records", "Send"), StringComparison.Ordinal);
        await AgreesAtAsync(request, "counsel", RequestStatus.AwaitingCounsel);

        Assert.Contains("Approved.", await PostAsync(_counsel, $"/counsel/{request.TrackingNumber}", "Approve", new() { ["Comment"] = "Supported." }),
            StringComparison.Ordinal);
        await AgreesAtAsync(request, "fee", RequestStatus.CounselApproved);

        // Releasing before any estimate is the fee step's "no fee", then the written response.
        var released = await WebSession.PostFormAsync(_officer, $"/requests/{request.TrackingNumber}/release", []);
        Assert.Equal(HttpStatusCode.OK, released.StatusCode);
        Assert.Contains("Released.", await released.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await AgreesAtAsync(request, "appeal-window", RequestStatus.Responded);

        await DecideAsync(request, "appeal-window", "close", expectNext: null);
        await EndedAsync(request, RequestStatus.Closed);
    }

    [Fact]
    public async Task CounselReturn_ShowsTheCommentToTheOfficer_AndNotifiesThem_ThenMoreRecords_FeeEstimate_Paid_FullRelease()
    {
        var request = await SubmitAsync();
        // The officer takes the request ("Assign to me"), so counsel's return is mailed to them.
        var details = await _officer.GetStringAsync($"/requests/{request.TrackingNumber}");
        var me = AssignToMe().Match(details);
        Assert.True(me.Success, "The request page offers no \"Assign to me\".");
        Assert.Equal(HttpStatusCode.Redirect, (await PostWithTokenAsync(_officer, details, $"/requests/{request.TrackingNumber}?handler=Assign",
            new() { ["officerId"] = me.Groups[1].Value })).StatusCode);
        await DecideAsync(request, "triage", "public-records", expectNext: "collect");
        await DecideAsync(request, "collect", "collected", expectNext: "review");
        await DecideAsync(request, "review", "more-records", expectNext: "collect");
        await DecideAsync(request, "collect", "collected", expectNext: "review");
        await DecideAsync(request, "review", "ready", expectNext: "counsel");

        var returned = await PostAsync(_counsel, $"/counsel/{request.TrackingNumber}", "Return", new() { ["Comment"] = "Search the transportation office too." });
        Assert.Contains("Returned to the officer.", returned, StringComparison.Ordinal);
        await AgreesAtAsync(request, "review", RequestStatus.InReview);
        var page = WebUtility.HtmlDecode(await _officer.GetStringAsync($"/requests/{request.TrackingNumber}"));
        Assert.Contains("id=\"counsel-returned\"", page, StringComparison.Ordinal);
        Assert.Contains("Search the transportation office too.", page, StringComparison.Ordinal);
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var mail = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Set<RecordsRequests.Features.Mail.OutboundEmail>()
                .AsNoTracking().Where(m => m.Kind == MailKind.CounselReturned && m.ToAddress == _officerEmail).ToListAsync();
            var notice = Assert.Single(mail, m => m.Subject == $"[{request.TrackingNumber}] Returned by counsel");
            Assert.Contains("Search the transportation office too.", notice.BodyText, StringComparison.Ordinal);
            // Staff mail: not part of the requester's correspondence.
            Assert.Null(notice.RequestId);
        }

        await DecideAsync(request, "review", "ready", expectNext: "counsel");
        Assert.Contains("Approved.", await PostAsync(_counsel, $"/counsel/{request.TrackingNumber}", "Approve", new() { ["Comment"] = "" }), StringComparison.Ordinal);
        await AgreesAtAsync(request, "fee", RequestStatus.CounselApproved);
        // The officer enters hours and pages; the fee is the calculator's: 4 h search less 2 free at $25, 100 pages at 5¢.
        await DecideAsync(request, "fee", "estimate", expectNext: "payment", comments: "Pay by check to the town treasurer.",
            fields: new() { ["Fee.SearchHours"] = "4", ["Fee.PaperPages"] = "100" });
        Assert.Contains("Fee estimates:", WebUtility.HtmlDecode(await _officer.GetStringAsync($"/requests/{request.TrackingNumber}")), StringComparison.Ordinal);
        Assert.Matches(@"\$55\.00", WebUtility.HtmlDecode(await _officer.GetStringAsync($"/requests/{request.TrackingNumber}")));
        await DecideAsync(request, "payment", "paid", expectNext: "response");
        await DecideAsync(request, "response", "full-release", expectNext: "appeal-window");
        await DecideAsync(request, "appeal-window", "appeal-received", expectNext: "appeal");
        await DecideAsync(request, "appeal", "further-response", expectNext: "collect");
        await DecideAsync(request, "collect", "no-records", expectNext: "response");
        await DecideAsync(request, "response", "no-records", expectNext: "appeal-window");
        await DecideAsync(request, "appeal-window", "close", expectNext: null);
        await EndedAsync(request, RequestStatus.Closed);
    }

    /// <summary>
    /// The cause of a return notice that once went nowhere: "Assign to me" saved while the workflow was moving the new
    /// request's status, the row's version refused the save, and the request stayed unassigned. Here another writer holds
    /// the row changed but uncommitted while the officer assigns; when it commits, the assignment must still be made.
    /// </summary>
    [Fact]
    public async Task AssignToMe_WhileSomethingElseChangesTheRequest_StillAssignsIt()
    {
        var request = await SubmitAsync();
        await Lifecycles.WaitAtAsync(_app.Services, request.Id, "triage");
        var details = await _officer.GetStringAsync($"/requests/{request.TrackingNumber}");
        var me = AssignToMe().Match(details).Groups[1].Value;

        await using var other = new NpgsqlConnection(database.ConnectionString);
        await other.OpenAsync();
        await using var transaction = await other.BeginTransactionAsync();
        await using (var touch = new NpgsqlCommand("UPDATE requests SET status_changed_at = status_changed_at WHERE id = @id", other, transaction))
        {
            touch.Parameters.AddWithValue("id", request.Id);
            await touch.ExecuteNonQueryAsync();
        }
        var assigning = PostWithTokenAsync(_officer, details, $"/requests/{request.TrackingNumber}?handler=Assign", new() { ["officerId"] = me });
        // The assignment's save waits for the other writer's row lock; then the other writer commits.
        var until = DateTime.UtcNow.AddSeconds(30);
        while (await database.ScalarAsync("""
            SELECT count(*)::int FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ~* 'update\s+"?requests"?\s'
            """) == 0)
        {
            Assert.True(DateTime.UtcNow < until && !assigning.IsCompleted, "The assignment never waited for the other writer.");
            await Task.Delay(20);
        }
        await transaction.CommitAsync();

        Assert.Equal(HttpStatusCode.Redirect, (await assigning).StatusCode);
        await using var scope = _app.Services.CreateAsyncScope();
        Assert.Equal(me, await scope.ServiceProvider.GetRequiredService<AppDbContext>().Requests.AsNoTracking()
            .Where(r => r.Id == request.Id).Select(r => r.AssignedOfficerId).SingleAsync());
        Assert.DoesNotContain("Someone changed this request", WebUtility.HtmlDecode(await _officer.GetStringAsync($"/requests/{request.TrackingNumber}")),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task StudentRecord_SendToCounselCannotSkipTheIdentityCheck_NotVerified_Denial_AppealUpheld()
    {
        var request = await SubmitAsync();
        await DecideAsync(request, "triage", "student-record", expectNext: "identity-check");
        await AddRedactedRecordAsync(request.Id);

        var refused = WebUtility.HtmlDecode(await PostAsync(_officer, $"/requests/{request.TrackingNumber}/records", "Send"));
        Assert.Contains("Check the requester's identity", refused, StringComparison.Ordinal);
        await AgreesAtAsync(request, "identity-check", RequestStatus.InTriage);

        await DecideAsync(request, "identity-check", "not-verified", expectNext: "response");
        await DecideAsync(request, "response", "denial", expectNext: "appeal-window", comments: "The record is the student's; the requester is not the parent (603 CMR 23.07).");
        await DecideAsync(request, "appeal-window", "appeal-received", expectNext: "appeal");
        await DecideAsync(request, "appeal", "upheld", expectNext: null);
        await EndedAsync(request, RequestStatus.Closed);
    }

    [Fact]
    public async Task StudentRecord_Verified_PetitionDenied_FeeWaived_FullRelease()
    {
        var request = await SubmitAsync();
        await DecideAsync(request, "triage", "student-record", expectNext: "identity-check");
        await DecideAsync(request, "identity-check", "verified", expectNext: "collect");
        await DecideAsync(request, "collect", "petition", expectNext: "petition");
        await DecideAsync(request, "petition", "denied", expectNext: "collect");
        await DecideAsync(request, "collect", "collected", expectNext: "review");
        await DecideAsync(request, "review", "ready", expectNext: "counsel");
        Assert.Contains("Approved.", await PostAsync(_counsel, $"/counsel/{request.TrackingNumber}", "Approve", new() { ["Comment"] = "" }), StringComparison.Ordinal);
        await AgreesAtAsync(request, "fee", RequestStatus.CounselApproved);
        await DecideAsync(request, "fee", "estimate", expectNext: "payment", fields: new() { ["Fee.SearchHours"] = "3" });
        await AgreesAtAsync(request, "payment", RequestStatus.AwaitingPayment);
        await DecideAsync(request, "payment", "waived", expectNext: "response", comments: "Waived: the parent's own child's record.");
        await DecideAsync(request, "response", "full-release", expectNext: "appeal-window");
        await AgreesAtAsync(request, "appeal-window", RequestStatus.Responded);
        await DecideAsync(request, "appeal-window", "close", expectNext: null);
        await EndedAsync(request, RequestStatus.Closed);
    }

    [Fact]
    public async Task PendingPetition_CannotBeSkipped_ThenGranted_AndSendToCounselCompletesCollection()
    {
        var request = await SubmitAsync();
        await DecideAsync(request, "triage", "public-records", expectNext: "collect");
        await DecideAsync(request, "collect", "petition", expectNext: "petition");
        await AddRedactedRecordAsync(request.Id);

        var refused = WebUtility.HtmlDecode(await PostAsync(_officer, $"/requests/{request.TrackingNumber}/records", "Send"));
        Assert.Contains("Petition for more time", refused, StringComparison.Ordinal);
        await AgreesAtAsync(request, "petition", RequestStatus.Collecting);

        await DecideAsync(request, "petition", "granted", expectNext: "collect");
        Assert.Contains("Sent to counsel.", await PostAsync(_officer, $"/requests/{request.TrackingNumber}/records", "Send"), StringComparison.Ordinal);
        await AgreesAtAsync(request, "counsel", RequestStatus.AwaitingCounsel);
    }

    [Fact]
    public async Task Clarify_Replied_NotARequest_AndCounselCannotApproveWhatWasNeverSent()
    {
        var request = await SubmitAsync();
        var approveEarly = await PostAsync(_counsel, $"/counsel/{request.TrackingNumber}", "Approve", new() { ["Comment"] = "" });
        Assert.Contains("not with counsel", WebUtility.HtmlDecode(approveEarly), StringComparison.Ordinal);

        await DecideAsync(request, "triage", "clarify", expectNext: "clarification", comments: "Which school year do you mean?");
        // The question goes out as a letter fit to send: dated, addressed by name, restating the request, signed.
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var letter = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Set<RecordsRequests.Features.Mail.OutboundEmail>()
                .AsNoTracking().SingleAsync(m => m.RequestId == request.Id && m.Kind == MailKind.Clarification);
            Assert.StartsWith($"[{request.TrackingNumber}]", letter.Subject, StringComparison.Ordinal);
            Assert.Matches(@"\n(January|February|March|April|May|June|July|August|September|October|November|December) \d{1,2}, \d{4}\n", letter.BodyText);
            Assert.Contains("Dear Robin Requester,", letter.BodyText, StringComparison.Ordinal);
            Assert.Contains($"Re: Public records request {request.TrackingNumber}", letter.BodyText, StringComparison.Ordinal);
            Assert.Contains("You asked for: “Bus contracts for 2025”", letter.BodyText, StringComparison.Ordinal);
            Assert.Contains("Which school year do you mean?", letter.BodyText, StringComparison.Ordinal);
            Assert.Contains("Sincerely,", letter.BodyText, StringComparison.Ordinal);
            Assert.DoesNotContain("Dear requester", letter.BodyText, StringComparison.OrdinalIgnoreCase);
        }
        await DecideAsync(request, "clarification", "replied", expectNext: "triage");
        await DecideAsync(request, "triage", "not-a-request", expectNext: null);
        await EndedAsync(request, RequestStatus.NotARequest);
    }

    [Fact]
    public async Task Withdrawal_EndsTheWorkflow_AndThePageSaysSo()
    {
        var request = await SubmitAsync();
        await DecideAsync(request, "triage", "public-records", expectNext: "collect");
        var page = await _officer.GetStringAsync($"/requests/{request.TrackingNumber}");
        var response = await PostWithTokenAsync(_officer, page, $"/requests/{request.TrackingNumber}/decide?handler=withdraw", []);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await EndedAsync(request, RequestStatus.Withdrawn, WorkflowStatus.Terminated);
    }

    private async Task<Request> SubmitAsync()
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SubmitRequest>().HandleAsync(
            new SubmitRequest.Input { Name = "Robin Requester", Email = "robin@example.org", Description = "Bus contracts for 2025" },
            RequestChannel.Email, CitedLaw.None, CancellationToken.None);
    }

    /// <summary>Clicks a next-step button on the request page and checks the page that comes back (no reload) shows the next step.</summary>
    private async Task DecideAsync(Request request, string node, string outcome, string? expectNext, string? comments = null, Dictionary<string, string>? fields = null)
    {
        await Lifecycles.WaitAtAsync(_app.Services, request.Id, node);
        var path = $"/requests/{request.TrackingNumber}";
        var page = await _officer.GetStringAsync(path);
        var form = NextStepForm().Matches(page).FirstOrDefault(m => m.Groups[1].Value == node);
        Assert.True(form is not null, $"{path} shows no buttons for '{node}'.");
        Assert.Contains($"value=\"{outcome}\"", form.Value, StringComparison.Ordinal);
        var lifecycleEvent = EventField().Match(form.Value).Groups[1].Value;
        var response = await PostWithTokenAsync(_officer, page, $"{path}/decide",
            new Dictionary<string, string>(fields ?? []) { ["Event"] = lifecycleEvent, ["Outcome"] = outcome, ["Comments"] = comments ?? "" });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        var after = WebUtility.HtmlDecode(await _officer.GetStringAsync(path));
        Assert.Contains($"Recorded: {LifecycleWords.Outcome(node, outcome)}.", after, StringComparison.Ordinal);
        Assert.DoesNotContain($"data-node=\"{node}\"", after.Replace($"data-node=\"{expectNext}\"", "", StringComparison.Ordinal), StringComparison.Ordinal);
        if (expectNext is not null)
        {
            Assert.Contains($"data-node=\"{expectNext}\"", after, StringComparison.Ordinal);
            await AgreesAtAsync(request, expectNext, null);
        }
        Assert.DoesNotContain("id=\"workflow-disagrees\"", after, StringComparison.Ordinal);
    }

    /// <summary>The workflow waits at <paramref name="node"/>, the request's status agrees with it (and is <paramref name="status"/> if given).</summary>
    private async Task AgreesAtAsync(Request request, string node, RequestStatus? status)
    {
        await Lifecycles.WaitAtAsync(_app.Services, request.Id, node);
        await using var scope = _app.Services.CreateAsyncScope();
        var view = await scope.ServiceProvider.GetRequiredService<RequestLifecycle>().DescribeAsync(request.Id, default);
        var current = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Requests.AsNoTracking()
            .Where(r => r.Id == request.Id).Select(r => r.Status).SingleAsync();
        var waiting = Assert.Single(view!.Waiting);
        Assert.True(LifecycleWords.Agrees(waiting.Node, current), $"{request.TrackingNumber} is {current} while its workflow waits at {node}.");
        if (status is { } expected)
        {
            Assert.Equal(expected, current);
        }
        var page = await _officer.GetStringAsync($"/requests/{request.TrackingNumber}");
        Assert.DoesNotContain("id=\"workflow-disagrees\"", page, StringComparison.Ordinal);
    }

    private async Task EndedAsync(Request request, RequestStatus status, WorkflowStatus workflow = WorkflowStatus.Complete)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            await using var scope = _app.Services.CreateAsyncScope();
            var view = await scope.ServiceProvider.GetRequiredService<RequestLifecycle>().DescribeAsync(request.Id, default);
            if (view?.Status == workflow)
            {
                break;
            }
            Assert.True(DateTime.UtcNow < deadline, $"{request.TrackingNumber}'s workflow is {view?.Status}, not {workflow}.");
            await Task.Delay(50);
        }
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            Assert.Equal(status, await scope.ServiceProvider.GetRequiredService<AppDbContext>().Requests.Where(r => r.Id == request.Id).Select(r => r.Status).SingleAsync());
        }
        var page = await _officer.GetStringAsync($"/requests/{request.TrackingNumber}");
        Assert.DoesNotContain("class=\"next-step\"", page, StringComparison.Ordinal);
    }

    /// <summary>A responsive record with one officer's redaction (what the records page's upload and "add redaction" make).</summary>
    private async Task AddRedactedRecordAsync(Guid requestId)
    {
        const string content = "Bus contract memo. Call the driver at home on 413-555-0188 after six.";
        var record = await RecordPagesFixture.AttachAsync(_app.Services, requestId, "bus-memo.txt", Encoding.UTF8.GetBytes(content), "officer");
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var start = record.Text.IndexOf("413", StringComparison.Ordinal);
            await scope.ServiceProvider.GetRequiredService<RedactionReview>().AddAsync(record.RecordId, start, start + 12, RedactionCategory.PhoneNumber,
                ExemptionCatalog.EmployeeHomeContact, "Driver's home telephone.", "officer@district.example", default);
        }
    }

    private static async Task<string> PostAsync(HttpClient client, string page, string handler, Dictionary<string, string>? fields = null)
    {
        var response = await WebSession.PostFormAsync(client, $"{page}?handler={handler}", fields ?? []);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<HttpResponseMessage> PostWithTokenAsync(HttpClient client, string page, string action, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = WebUtility.HtmlDecode(Token().Match(page).Groups[1].Value);
        return await client.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    [GeneratedRegex("<div class=\"next-step\" data-node=\"([a-z-]+)\">.*?</form>", RegexOptions.Singleline)]
    private static partial Regex NextStepForm();

    [GeneratedRegex("name=\"officerId\" value=\"([^\"]+)\" id=\"assign-to-me-id\"")]
    private static partial Regex AssignToMe();

    [GeneratedRegex("name=\"Event\" value=\"([A-Za-z]+)\"")]
    private static partial Regex EventField();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
