using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RecordsRequests.Data;
using RecordsRequests.Features.Records;
using RecordsRequests.Features.Redactions;
using RecordsRequests.Features.Releases;
using RecordsRequests.Features.Requests;
using RecordsRequests.Features.Workflow;
using RecordsRequests.IntegrationTests.Infrastructure;
using WorkflowCore.Models;
using Record = RecordsRequests.Features.Records.Record;

namespace RecordsRequests.IntegrationTests.Workflow;

/// <summary>
/// The redaction and release pages are where officers and counsel actually work; their actions complete the workflow's
/// human steps, so the request page's workflow and the redaction pages never disagree about where a request stands.
/// </summary>
[Collection(Lanes.Engine)]
public sealed class FeatureActionsTests(TestDatabase database) : IAsyncLifetime
{
    /// <summary>Each test starts from the migrated database: what an earlier test left is gone.</summary>
    public Task InitializeAsync() => database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private const string Officer = "officer@district.example";
    private const string Counsel = "counsel@district.example";

    [Fact]
    public async Task SendToCounsel_Approve_AndRelease_CompleteTheReviewCounselAndResponseSteps()
    {
        await using var harness = await LifecycleHarness.StartAsync(database);
        var request = await harness.SubmitAsync();
        await harness.DecideAsync(request.Id, "triage", LifecycleEvent.TriageDecided, "public-records");
        await harness.DecideAsync(request.Id, "collect", LifecycleEvent.CollectionCompleted, "collected");
        var recordId = await AttachRecordAsync(harness, request.Id, "Bus contract memo. Call the driver at home on 413-555-0188 after six.");
        await harness.InScopeAsync(async s =>
        {
            var workflow = s.GetRequiredService<RedactionReview>();
            var record = await s.GetRequiredService<AppDbContext>().Set<Record>().SingleAsync(r => r.Id == recordId);
            var phone = (await workflow.ReadTextAsync(record, default)).Text.IndexOf("413-555-0188", StringComparison.Ordinal);
            return await workflow.AddAsync(recordId, phone, phone + 12, RedactionCategory.PhoneNumber, ExemptionCatalog.EmployeeHomeContact, "Driver's home telephone.",
                Officer, default);
        });
        await harness.AtAsync(request.Id, "review");

        await harness.InScopeAsync(async s => { await s.GetRequiredService<RedactionReview>().SendToCounselAsync(request.Id, Officer, default); return 0; });
        await harness.AtAsync(request.Id, "counsel");
        Assert.Equal(RequestStatus.AwaitingCounsel, (await harness.RequestAsync(request.Id)).Status);

        await harness.InScopeAsync(async s => { await s.GetRequiredService<RedactionReview>().ApproveAsync(request.Id, Counsel, "Home number withheld.", default); return 0; }, Counsel);
        // Approved, the request no longer says it waits for counsel while the fee is decided.
        Assert.Equal(RequestStatus.CounselApproved, (await harness.RequestAsync(request.Id)).Status);
        await harness.DecideAsync(request.Id, "fee", LifecycleEvent.FeeDecided, "no-fee");
        await harness.AtAsync(request.Id, "response");

        await harness.InScopeAsync(s => s.GetRequiredService<ReleaseProducer>().ReleaseAsync(request.Id, Officer, default));
        await harness.AtAsync(request.Id, "appeal-window");
        Assert.Equal(RequestStatus.Responded, (await harness.RequestAsync(request.Id)).Status);
        var history = (await harness.DescribeAsync(request.Id))!.History.Select(p => p.Outcome as string).ToList();
        Assert.Contains("partial-release", history);
        var audit = await harness.AuditAsync(request.Id);
        Assert.Contains(audit, a => a.Action == "Workflow.Decision" && a.Actor == Counsel);
        // One e-mail per release: the release's own letter is the written response; the workflow sends no second one.
        var kinds = await harness.MailKindsAsync(request.Id);
        Assert.Contains("Release", kinds);
        Assert.DoesNotContain("Response", kinds);
    }

    [Fact]
    public async Task CounselReturn_SendsTheWorkflowBackToReview()
    {
        await using var harness = await LifecycleHarness.StartAsync(database);
        var request = await harness.SubmitAsync();
        await harness.DecideAsync(request.Id, "triage", LifecycleEvent.TriageDecided, "public-records");
        await harness.DecideAsync(request.Id, "collect", LifecycleEvent.CollectionCompleted, "collected");
        await harness.DecideAsync(request.Id, "review", LifecycleEvent.ReviewCompleted, "ready");
        await harness.AtAsync(request.Id, "counsel");

        await harness.InScopeAsync(async s => { await s.GetRequiredService<RedactionReview>().ReturnAsync(request.Id, Counsel, "Search the transportation office too.", default); return 0; }, Counsel);

        await harness.AtAsync(request.Id, "review");
        Assert.Equal(RequestStatus.InReview, (await harness.RequestAsync(request.Id)).Status);
    }

    [Fact]
    public async Task SeedDemo_DrivesEverySampleThroughItsLifecycle_SoStatusesAndWorkflowsAgree()
    {
        // seed-demo fills only an empty database, so this test has one of its own.
        var fresh = new TestDatabase();
        await fresh.InitializeAsync();
        try
        {
            await using var services = fresh.BuildServices();
            Assert.Equal(0, await RecordsRequests.Hosting.Cli.CliRunner.RunAsync(services, ["seed-demo"], CancellationToken.None));
            await using var harness = await LifecycleHarness.StartAsync(fresh);
            var requests = await harness.InScopeAsync(s => s.GetRequiredService<AppDbContext>().Requests.AsNoTracking().Include(r => r.Requester).ToListAsync());
            var expected = new Dictionary<string, (RequestStatus Status, string? WaitsAt)>
            {
                ["Jordan Reporter"] = (RequestStatus.InTriage, "triage"),
                ["Priya Lawyer"] = (RequestStatus.Collecting, "collect"),
                ["Sam Parent"] = (RequestStatus.AwaitingClarification, "clarification"),
                ["Taylor Citizen"] = (RequestStatus.AwaitingCounsel, "counsel"),
                ["Riley Researcher"] = (RequestStatus.Closed, null),
            };
            foreach (var (name, (status, waitsAt)) in expected)
            {
                var request = requests.Single(r => r.Requester.Name == name);
                Assert.Equal(status, request.Status);
                if (waitsAt is null)
                {
                    await harness.EndedAsync(request.Id, WorkflowStatus.Complete);
                }
                else
                {
                    await harness.AtAsync(request.Id, waitsAt);
                }
            }
        }
        finally
        {
            await fresh.DisposeAsync();
        }
    }

    private static async Task<Guid> AttachRecordAsync(LifecycleHarness harness, Guid requestId, string content)
    {
        var recordId = await harness.InScopeAsync(async s =>
        {
            var stored = await s.GetRequiredService<ContentStore>().PutAsync(Encoding.UTF8.GetBytes(content), default);
            var record = Record.Attach(requestId, "memo.txt", "text/plain", stored.Length, stored.Sha256, RecordSource.Upload, Officer, DateTimeOffset.UtcNow);
            record.Judge(RecordDisposition.Responsive);
            var db = s.GetRequiredService<AppDbContext>();
            db.Add(record);
            await db.SaveChangesAsync();
            return record.Id;
        });
        // The harness runs no job server: the record is made into pages here, as the background job would.
        await harness.InScopeAsync(async s =>
        {
            await s.GetRequiredService<RecordsRequests.Features.Documents.RecordPages>().MakePagesAsync(recordId, default);
            return 0;
        });
        return recordId;
    }
}
