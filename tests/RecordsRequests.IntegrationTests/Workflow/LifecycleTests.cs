using Microsoft.Extensions.DependencyInjection;
using RecordsRequests.Features.Requests;
using RecordsRequests.Features.Workflow;
using RecordsRequests.IntegrationTests.Infrastructure;
using WorkflowCore.Models;
using static RecordsRequests.Features.Workflow.LifecycleEvent;

namespace RecordsRequests.IntegrationTests.Workflow;

/// <summary>Requests driven through every path of request-lifecycle v1 by the events dashboard actions publish.</summary>
[Collection(Lanes.Engine)]
public class LifecycleTests(TestDatabase database) : IAsyncLifetime
{
    /// <summary>Each test starts from the migrated database: what an earlier test left is gone.</summary>
    public Task InitializeAsync() => database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task PublicRecordsRequest_CounselReturnsOnce_FullRelease_ClosesWithEveryStepAudited()
    {
        await using var harness = await LifecycleHarness.StartAsync(database);
        var request = await harness.SubmitAsync(citedLaw: CitedLaw.FederalFoia);

        await harness.AtAsync(request.Id, "triage");
        Assert.Equal(RequestStatus.InTriage, (await harness.RequestAsync(request.Id)).Status);
        await harness.DecideAsync(request.Id, "triage", TriageDecided, "public-records");
        await harness.DecideAsync(request.Id, "collect", CollectionCompleted, "collected");
        await harness.DecideAsync(request.Id, "review", ReviewCompleted, "ready");
        await harness.DecideAsync(request.Id, "counsel", CounselDecided, "returned", "Redact the home addresses on page 3.");
        await harness.DecideAsync(request.Id, "review", ReviewCompleted, "ready");
        await harness.DecideAsync(request.Id, "counsel", CounselDecided, "approved");
        await harness.DecideAsync(request.Id, "fee", FeeDecided, "no-fee");
        await harness.DecideAsync(request.Id, "response", ResponseChosen, "full-release");
        await harness.AtAsync(request.Id, "appeal-window");
        Assert.Equal(RequestStatus.Responded, (await harness.RequestAsync(request.Id)).Status);
        await harness.DecideAsync(request.Id, "appeal-window", AppealWindowResolved, "close");
        await harness.EndedAsync(request.Id);

        var final = await harness.RequestAsync(request.Id);
        Assert.Equal(RequestStatus.Closed, final.Status);
        Assert.Equal(GoverningLaw.MassachusettsPublicRecordsLaw, final.GoverningLaw);
        Assert.Equal(["Acknowledgement", "Response"], await harness.MailKindsAsync(request.Id));
        var audit = await harness.AuditAsync(request.Id);
        Assert.Equal(9, audit.Count(a => a.Action == "Workflow.Decision"));
        Assert.Contains(audit, a => a.Action == "Workflow.Decision" && a.After!.RootElement.GetProperty("comments").GetString() == "Redact the home addresses on page 3.");
        Assert.All(audit.Where(a => a.Action == "Workflow.Decision"), a => Assert.Equal("officer@district.example", a.Actor));
        // Status changes come from the audited Request row: Received→Acknowledged→InTriage→Collecting→InReview→AwaitingCounsel→InReview→AwaitingCounsel→Responded→Closed.
        Assert.True(audit.Count(a => a.EntityType == nameof(Request) && a.Action != "Request.Created") >= 9);
    }

    [Fact]
    public async Task Clarification_Petition_FeeEstimate_PartialRelease_AppealUpheld_Closes()
    {
        await using var harness = await LifecycleHarness.StartAsync(database);
        var request = await harness.SubmitAsync();

        await harness.AtAsync(request.Id, "triage");
        Assert.Equal(RequestLifecycle.PublishOutcome.Refused, (await harness.TryDecideAsync(request.Id, TriageDecided, "clarify")).Outcome);
        await harness.DecideAsync(request.Id, "triage", TriageDecided, "clarify", "Which school years do you mean?");
        await harness.AtAsync(request.Id, "clarification");
        Assert.Equal(RequestStatus.AwaitingClarification, (await harness.RequestAsync(request.Id)).Status);
        // E-mail intake's reply seam publishes this when the requester answers.
        await harness.DecideAsync(request.Id, "clarification", ClarificationReceived, "replied");
        await harness.DecideAsync(request.Id, "triage", TriageDecided, "public-records");
        await harness.DecideAsync(request.Id, "collect", CollectionCompleted, "petition");
        await harness.DecideAsync(request.Id, "petition", PetitionDecided, "granted", "Supervisor granted 20 more business days.");
        await harness.DecideAsync(request.Id, "collect", CollectionCompleted, "collected");
        await harness.DecideAsync(request.Id, "review", ReviewCompleted, "ready");
        await harness.DecideAsync(request.Id, "counsel", CounselDecided, "approved");
        await harness.DecideAsync(request.Id, "fee", FeeDecided, "estimate", fee: new FeeFigures { SearchHours = 4m });
        await harness.AtAsync(request.Id, "payment");
        Assert.Equal(RequestStatus.AwaitingPayment, (await harness.RequestAsync(request.Id)).Status);
        await harness.DecideAsync(request.Id, "payment", PaymentResolved, "paid");
        await harness.AtAsync(request.Id, "response");
        Assert.Equal(RequestLifecycle.PublishOutcome.Refused, (await harness.TryDecideAsync(request.Id, ResponseChosen, "partial-release")).Outcome);
        await harness.DecideAsync(request.Id, "response", ResponseChosen, "partial-release", "Payroll file: home addresses redacted, c.4 §7 cl.26(c).");
        await harness.DecideAsync(request.Id, "appeal-window", AppealWindowResolved, "appeal-received");
        await harness.AtAsync(request.Id, "appeal");
        Assert.Equal(RequestStatus.UnderAppeal, (await harness.RequestAsync(request.Id)).Status);
        await harness.DecideAsync(request.Id, "appeal", SupervisorOrdered, "upheld");
        await harness.EndedAsync(request.Id);

        Assert.Equal(RequestStatus.Closed, (await harness.RequestAsync(request.Id)).Status);
        Assert.Equal(["Acknowledgement", "Clarification", "FeeEstimate", "Response"], await harness.MailKindsAsync(request.Id));
        var audit = await harness.AuditAsync(request.Id);
        Assert.Contains(audit, a => a.Action == "Workflow.StepEntered" && a.After!.RootElement.GetProperty("node").GetString() == "petition");
    }

    [Fact]
    public async Task SupervisorOrdersFurtherResponse_RequestGoesBackToCollection()
    {
        await using var harness = await LifecycleHarness.StartAsync(database);
        var request = await harness.SubmitAsync();
        await harness.DecideAsync(request.Id, "triage", TriageDecided, "public-records");
        await harness.DecideAsync(request.Id, "collect", CollectionCompleted, "no-records");
        await harness.DecideAsync(request.Id, "response", ResponseChosen, "no-records");
        await harness.DecideAsync(request.Id, "appeal-window", AppealWindowResolved, "appeal-received");
        await harness.DecideAsync(request.Id, "appeal", SupervisorOrdered, "further-response", "Search the transportation office's e-mail.");
        await harness.AtAsync(request.Id, "collect");
        Assert.Equal(RequestStatus.Collecting, (await harness.RequestAsync(request.Id)).Status);
    }

    [Fact]
    public async Task StudentRecordRequest_IdentityNotVerified_IsDeniedAndClosed()
    {
        await using var harness = await LifecycleHarness.StartAsync(database);
        var request = await harness.SubmitAsync(citedLaw: CitedLaw.StudentRecordRegulations);

        await harness.DecideAsync(request.Id, "triage", TriageDecided, "student-record");
        await harness.AtAsync(request.Id, "identity-check");
        Assert.Equal(GoverningLaw.StudentRecordAccess, (await harness.RequestAsync(request.Id)).GoverningLaw);
        await harness.DecideAsync(request.Id, "identity-check", IdentityChecked, "not-verified");
        await harness.DecideAsync(request.Id, "response", ResponseChosen, "denial", "The requester could not show they are the parent or the eligible student (603 CMR 23.07).");
        await harness.DecideAsync(request.Id, "appeal-window", AppealWindowResolved, "close");
        await harness.EndedAsync(request.Id);
        Assert.Equal(RequestStatus.Closed, (await harness.RequestAsync(request.Id)).Status);
    }

    [Fact]
    public async Task StudentRecordRequest_IdentityVerified_GoesToCollection()
    {
        await using var harness = await LifecycleHarness.StartAsync(database);
        var request = await harness.SubmitAsync(citedLaw: CitedLaw.StudentRecordRegulations);
        await harness.DecideAsync(request.Id, "triage", TriageDecided, "student-record");
        await harness.DecideAsync(request.Id, "identity-check", IdentityChecked, "verified");
        await harness.AtAsync(request.Id, "collect");
    }

    [Fact]
    public async Task NotARequest_EndsTheWorkflow()
    {
        await using var harness = await LifecycleHarness.StartAsync(database);
        var request = await harness.SubmitAsync();
        await harness.DecideAsync(request.Id, "triage", TriageDecided, "not-a-request");
        await harness.EndedAsync(request.Id);
        Assert.Equal(RequestStatus.NotARequest, (await harness.RequestAsync(request.Id)).Status);
    }

    [Fact]
    public async Task Withdrawal_WhileCollecting_TerminatesTheWorkflowAndConfirmsOnce()
    {
        await using var harness = await LifecycleHarness.StartAsync(database);
        var request = await harness.SubmitAsync();
        await harness.DecideAsync(request.Id, "triage", TriageDecided, "public-records");
        await harness.AtAsync(request.Id, "collect");

        await harness.InScopeAsync(async s => { await s.GetRequiredService<RequestLifecycle>().WithdrawAsync(request.Id, "No longer needed", CancellationToken.None); return 0; });

        await harness.EndedAsync(request.Id, WorkflowStatus.Terminated);
        Assert.Equal(RequestStatus.Withdrawn, (await harness.RequestAsync(request.Id)).Status);
        Assert.Equal(["Acknowledgement", "WithdrawalConfirmation"], await harness.MailKindsAsync(request.Id));
        Assert.Equal(RequestLifecycle.PublishOutcome.NotWaiting, (await harness.TryDecideAsync(request.Id, CollectionCompleted, "collected")).Outcome);
    }

    [Fact]
    public async Task Publish_ForAStepNotWaiting_OrAnUnknownChoice_IsRefused()
    {
        await using var harness = await LifecycleHarness.StartAsync(database);
        var request = await harness.SubmitAsync();
        await harness.AtAsync(request.Id, "triage");

        Assert.Equal(RequestLifecycle.PublishOutcome.NotWaiting, (await harness.TryDecideAsync(request.Id, CounselDecided, "approved")).Outcome);
        Assert.Equal(RequestLifecycle.PublishOutcome.Refused, (await harness.TryDecideAsync(request.Id, TriageDecided, "approved")).Outcome);
        await harness.AtAsync(request.Id, "triage");
    }

    [Fact]
    public async Task Sweep_StartsTheLifecycleOfARequestWhoseStartWasLost()
    {
        await using var harness = await LifecycleHarness.StartAsync(database);
        var request = await harness.SubmitAsync();
        await harness.AtAsync(request.Id, "triage");
        // As if the process had died between committing the request and starting its workflow: still "received", no instance.
        await database.ScalarAsync($"WITH gone AS (DELETE FROM workflow.instances WHERE reference = '{request.Id}' RETURNING 1) SELECT count(*) FROM gone");
        await database.ScalarAsync($"WITH reset AS (UPDATE requests SET status = 'Received' WHERE id = '{request.Id}' RETURNING 1) SELECT count(*) FROM reset");

        var result = await harness.InScopeAsync(s => s.GetRequiredService<LifecycleSweep>().RunAsync(CancellationToken.None));

        Assert.True(result.Started >= 1);
        await harness.AtAsync(request.Id, "triage");
        Assert.Equal(["Acknowledgement"], await harness.MailKindsAsync(request.Id));
    }

    [Fact]
    public async Task Sweep_LeavesARequestWorkedWithoutAWorkflowAlone()
    {
        await using var harness = await LifecycleHarness.StartAsync(database);
        var request = await harness.SubmitAsync();
        await harness.AtAsync(request.Id, "triage");
        // A request imported from another system mid-way: no lifecycle, and one must not start at "acknowledge".
        await database.ScalarAsync($"WITH gone AS (DELETE FROM workflow.instances WHERE reference = '{request.Id}' RETURNING 1) SELECT count(*) FROM gone");

        await harness.InScopeAsync(s => s.GetRequiredService<LifecycleSweep>().RunAsync(CancellationToken.None));

        Assert.Null(await harness.DescribeAsync(request.Id));
        Assert.Equal(RequestStatus.InTriage, (await harness.RequestAsync(request.Id)).Status);
    }
}
