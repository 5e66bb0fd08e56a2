using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RecordsRequests.Data;
using RecordsRequests.Features.Deadlines;
using RecordsRequests.Features.Mail;
using RecordsRequests.Features.Redactions;
using RecordsRequests.Features.Requests;
using RecordsRequests.Features.Workflow;
using RecordsRequests.Hosting;
using RecordsRequests.IntegrationTests.Infrastructure;
using static RecordsRequests.Features.Workflow.LifecycleEvent;

namespace RecordsRequests.IntegrationTests.Workflow;

/// <summary>
/// The workflow's steps apply the same legal rules as the stored clocks and the fee calculator: a requester meets one
/// rule, wherever it is read.
/// </summary>
[Collection(Lanes.Engine)]
public class WorkflowRulesTests(TestDatabase database) : IAsyncLifetime
{
    /// <summary>Each test starts from the migrated database: what an earlier test left is gone.</summary>
    public Task InitializeAsync() => database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task FeeStep_SendsTheCalculatorsItemisedEstimate_AndStoresIt()
    {
        await using var harness = await LifecycleHarness.StartAsync(database);
        var request = await harness.SubmitAsync();
        await DriveToFeeAsync(harness, request.Id);

        // 4 h of search less the municipality's 2 free hours at $25 (c.66 §10(d)(iii)), 100 pages at 5¢ (950 CMR 32.07(2)).
        await harness.DecideAsync(request.Id, "fee", FeeDecided, "estimate", "Payment by check, please.", new FeeFigures { SearchHours = 4m, PaperPages = 100 });
        await harness.AtAsync(request.Id, "payment");

        var estimate = await harness.InScopeAsync(s => s.GetRequiredService<AppDbContext>().Set<FeeEstimate>().AsNoTracking().SingleAsync(f => f.RequestId == request.Id));
        Assert.Equal(55.00m, estimate.Total);
        Assert.False(estimate.ResponseWasLate);
        var letter = await harness.InScopeAsync(s => s.GetRequiredService<AppDbContext>().Set<OutboundEmail>().AsNoTracking()
            .SingleAsync(m => m.RequestId == request.Id && m.Kind == MailKind.FeeEstimate));
        Assert.Contains("Paper copies: 100 pages × $0.05 = $5.00", letter.BodyText, StringComparison.Ordinal);
        Assert.Contains("= $50.00", letter.BodyText, StringComparison.Ordinal);
        Assert.Contains("Total: $55.00", letter.BodyText, StringComparison.Ordinal);
        Assert.Contains("Payment by check, please.", letter.BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FeeStep_AfterALateDay10Response_RefusesAnyFee()
    {
        await using var harness = await LifecycleHarness.StartAsync(database);
        // Received 30 days ago with no written response recorded: day 10 has passed.
        var request = await harness.SubmitAsync(receivedAt: DateTimeOffset.UtcNow.AddDays(-30));
        await DriveToFeeAsync(harness, request.Id);

        var refused = await harness.TryDecideAsync(request.Id, FeeDecided, "estimate", fee: new FeeFigures { SearchHours = 10m });

        Assert.Equal(RequestLifecycle.PublishOutcome.Refused, refused.Outcome);
        Assert.Contains("950 CMR 32.06(2)(c)", refused.Reason, StringComparison.Ordinal);
        await harness.DecideAsync(request.Id, "fee", FeeDecided, "no-fee");
        await harness.AtAsync(request.Id, "response");
        Assert.DoesNotContain("FeeEstimate", await harness.MailKindsAsync(request.Id));
    }

    [Fact]
    public async Task AppealWindow_AfterALateResponse_RunsFromReceiptAsTheStoredClockSays()
    {
        await using var harness = await LifecycleHarness.StartAsync(database);
        // Received 120 days ago and answered today, long after day 10: the 90 days ran from receipt (950 CMR 32.08(1)(d)).
        var receivedAt = DateTimeOffset.UtcNow.AddDays(-120);
        var request = await harness.SubmitAsync(receivedAt: receivedAt);
        await harness.DecideAsync(request.Id, "triage", TriageDecided, "public-records");
        await harness.DecideAsync(request.Id, "collect", CollectionCompleted, "no-records");
        await harness.DecideAsync(request.Id, "response", ResponseChosen, "no-records");
        await harness.AtAsync(request.Id, "appeal-window");

        var refused = await harness.TryDecideAsync(request.Id, AppealWindowResolved, "appeal-received");

        Assert.Equal(RequestLifecycle.PublishOutcome.Refused, refused.Outcome);
        Assert.Contains("950 CMR 32.08(1)(d)", refused.Reason, StringComparison.Ordinal);
        var (window, writtenOn) = await harness.InScopeAsync(async s =>
        {
            var db = s.GetRequiredService<AppDbContext>();
            var clock = await db.Set<RequestClock>().AsNoTracking().SingleAsync(c => c.RequestId == request.Id && c.Kind == ClockKind.AppealWindowEnds);
            var input = await db.Set<RequestClockInput>().AsNoTracking().SingleAsync(i => i.RequestId == request.Id);
            return (clock.DueDate, input.WrittenResponseOn);
        });
        var time = harness.Services.GetRequiredService<DistrictTime>();
        // The response letter is the written response: its date is recorded, and the stored clock follows it.
        Assert.Equal(time.Today, writtenOn);
        Assert.Equal(time.DateOf(receivedAt).AddDays(ClockCalculator.AppealWindowCalendarDays), window);
        await harness.DecideAsync(request.Id, "appeal-window", AppealWindowResolved, "close");
        await harness.EndedAsync(request.Id);
    }

    [Fact]
    public async Task AppealWindow_AfterATimelyResponse_AcceptsAnAppeal()
    {
        await using var harness = await LifecycleHarness.StartAsync(database);
        var request = await harness.SubmitAsync();
        await harness.DecideAsync(request.Id, "triage", TriageDecided, "public-records");
        await harness.DecideAsync(request.Id, "collect", CollectionCompleted, "no-records");
        await harness.DecideAsync(request.Id, "response", ResponseChosen, "no-records");
        await harness.DecideAsync(request.Id, "appeal-window", AppealWindowResolved, "appeal-received");
        await harness.AtAsync(request.Id, "appeal");
        Assert.Equal(RequestStatus.UnderAppeal, (await harness.RequestAsync(request.Id)).Status);
    }

    [Fact]
    public async Task CounselDecision_IsRefusedAtTheDoor_UnlessCounselReviewedTheSet()
    {
        await using var harness = await LifecycleHarness.StartAsync(database);
        var request = await harness.SubmitAsync();
        await harness.DecideAsync(request.Id, "triage", TriageDecided, "public-records");
        await harness.DecideAsync(request.Id, "collect", CollectionCompleted, "collected");
        await harness.DecideAsync(request.Id, "review", ReviewCompleted, "ready");
        await harness.AtAsync(request.Id, "counsel");

        // Any caller of the lifecycle (a job, a script, another page) is refused without counsel's review on record.
        var bare = await harness.TryDecideAsync(request.Id, CounselDecided, "approved");
        Assert.Equal(RequestLifecycle.PublishOutcome.Refused, bare.Outcome);
        Assert.Contains("counsel review page", bare.Reason, StringComparison.Ordinal);

        // Counsel's own approval on the review page completes the step.
        await harness.InScopeAsync(async s =>
        {
            await s.GetRequiredService<RedactionReview>().ApproveAsync(request.Id, "counsel@district.example", "Approved as redacted.", CancellationToken.None);
            return 0;
        }, actor: "counsel@district.example");
        await harness.AtAsync(request.Id, "fee");
        // That approval completed one step: it cannot be used again for another.
        Assert.Equal(RequestLifecycle.PublishOutcome.NotWaiting, (await harness.TryDecideAsync(request.Id, CounselDecided, "approved")).Outcome);
    }

    private static async Task DriveToFeeAsync(LifecycleHarness harness, Guid requestId)
    {
        await harness.DecideAsync(requestId, "triage", TriageDecided, "public-records");
        await harness.DecideAsync(requestId, "collect", CollectionCompleted, "collected");
        await harness.DecideAsync(requestId, "review", ReviewCompleted, "ready");
        await harness.DecideAsync(requestId, "counsel", CounselDecided, "approved");
        await harness.AtAsync(requestId, "fee");
    }
}
