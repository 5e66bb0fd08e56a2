using Microsoft.Extensions.DependencyInjection;
using RecordsRequests.Features.Workflow;

namespace RecordsRequests.IntegrationTests.Infrastructure;

/// <summary>
/// Takes a new request's workflow (on a host whose engine runs) to a node by the officers' decisions, so a test of a
/// later page (redaction, counsel, release) starts where that page is reachable: a page action no longer completes a
/// step the workflow is not at.
/// </summary>
public static class Lifecycles
{
    private static readonly (string Node, LifecycleEvent Event, string Outcome)[] ToCounsel =
    [
        ("triage", LifecycleEvent.TriageDecided, "public-records"),
        ("collect", LifecycleEvent.CollectionCompleted, "collected"),
        ("review", LifecycleEvent.ReviewCompleted, "ready"),
    ];

    /// <summary>
    /// Decides each step from where the workflow waits now up to <paramref name="node"/> ("collect", "review" or
    /// "counsel") and waits until the workflow waits there.
    /// </summary>
    public static async Task DriveToAsync(IServiceProvider services, Guid requestId, string node)
    {
        RequestLifecycle.LifecycleView? now;
        await using (var scope = services.CreateAsyncScope())
        {
            now = await scope.ServiceProvider.GetRequiredService<RequestLifecycle>().DescribeAsync(requestId, default);
        }
        var from = Array.FindIndex(ToCounsel, step => now?.Waiting.Any(w => w.Node.Id == step.Node) == true);
        foreach (var (at, lifecycleEvent, outcome) in ToCounsel.Skip(Math.Max(0, from)))
        {
            await WaitAtAsync(services, requestId, at);
            if (at == node)
            {
                return;
            }
            await using var scope = services.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<RequestLifecycle>().PublishAsync(requestId, lifecycleEvent, outcome, null, default);
            Assert.Equal(RequestLifecycle.PublishOutcome.Accepted, result.Outcome);
        }
        await WaitAtAsync(services, requestId, node);
    }

    public static async Task WaitAtAsync(IServiceProvider services, Guid requestId, string node)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        RequestLifecycle.LifecycleView? view = null;
        while (DateTime.UtcNow < deadline)
        {
            await using var scope = services.CreateAsyncScope();
            view = await scope.ServiceProvider.GetRequiredService<RequestLifecycle>().DescribeAsync(requestId, default);
            if (view?.Waiting.Any(w => w.Node.Id == node) == true)
            {
                return;
            }
            await Task.Delay(50);
        }
        Assert.Fail($"Request {requestId} never waited at '{node}'; it waits at [{string.Join(", ", view?.Waiting.Select(w => w.Node.Id) ?? [])}].");
    }

    /// <summary>
    /// Records counsel's review of the request as the counsel page does, without redactions to decide: the workflow's
    /// counsel step completes only on such a record (RequestLifecycle refuses a bare CounselDecided).
    /// </summary>
    public static async Task RecordCounselReviewAsync(IServiceProvider services, Guid requestId, string outcome, string? comment = null)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RecordsRequests.Data.AppDbContext>();
        var decision = outcome == "approved" ? RecordsRequests.Features.Redactions.CounselDecision.Approved : RecordsRequests.Features.Redactions.CounselDecision.Returned;
        db.Add(RecordsRequests.Features.Redactions.CounselReview.Record(requestId, decision, "counsel@district.example", comment ?? "", "",
            scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow()));
        await db.SaveChangesAsync();
    }
}
