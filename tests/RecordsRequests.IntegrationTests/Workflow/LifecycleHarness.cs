using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RecordsRequests.Data;
using RecordsRequests.Features.Audit;
using RecordsRequests.Features.Mail;
using RecordsRequests.Features.Requests;
using RecordsRequests.Features.Workflow;
using RecordsRequests.Hosting;
using RecordsRequests.IntegrationTests.Infrastructure;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace RecordsRequests.IntegrationTests.Workflow;

/// <summary>The app's services with the workflow engine running in-process on the test database, and helpers to drive a request.</summary>
internal sealed class LifecycleHarness : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private LifecycleHarness(ServiceProvider services) => Services = services;

    public ServiceProvider Services { get; }

    public static async Task<LifecycleHarness> StartAsync(TestDatabase database)
    {
        var services = database.BuildServices();
        services.ApplyEngineOptions();
        services.GetRequiredService<WorkflowDefinitions>().EnsureRegistered();
        await services.GetRequiredService<IWorkflowHost>().StartAsync(CancellationToken.None);
        return new LifecycleHarness(services);
    }

    public async ValueTask DisposeAsync()
    {
        await Services.GetRequiredService<IWorkflowHost>().StopAsync(CancellationToken.None);
        await Services.DisposeAsync();
    }

    public async Task<Request> SubmitAsync(string? email = "requester@example.org", CitedLaw citedLaw = CitedLaw.MassachusettsPublicRecordsLaw,
        string? postalAddress = null, DateTimeOffset? receivedAt = null)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SubmitRequest>().HandleAsync(
            new SubmitRequest.Input { Name = "Robin Requester", Email = email, PostalAddress = postalAddress, Description = "Bus contracts 2025" },
            RequestChannel.Email, citedLaw, CancellationToken.None, receivedAt);
    }

    public async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> action, string actor = "officer@district.example")
    {
        await using var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<HttpOrSystemActor>().SystemName = actor;
        return await action(scope.ServiceProvider);
    }

    public Task<RequestLifecycle.LifecycleView?> DescribeAsync(Guid requestId) =>
        InScopeAsync(s => s.GetRequiredService<RequestLifecycle>().DescribeAsync(requestId, CancellationToken.None));

    /// <summary>Waits until the workflow waits at <paramref name="node"/>.</summary>
    public async Task AtAsync(Guid requestId, string node)
    {
        var deadline = DateTime.UtcNow + Patience;
        RequestLifecycle.LifecycleView? view = null;
        while (DateTime.UtcNow < deadline)
        {
            view = await DescribeAsync(requestId);
            if (view?.Waiting.Any(w => w.Node.Id == node) == true)
            {
                return;
            }
            await Task.Delay(50);
        }
        Assert.Fail($"Request {requestId} never waited at '{node}'; it waits at [{string.Join(", ", view?.Waiting.Select(w => w.Node.Id) ?? [])}], status {view?.Status}.");
    }

    public async Task EndedAsync(Guid requestId, WorkflowStatus expected = WorkflowStatus.Complete)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            if ((await DescribeAsync(requestId))?.Status == expected)
            {
                return;
            }
            await Task.Delay(50);
        }
        Assert.Fail($"Request {requestId}'s workflow did not become {expected}.");
    }

    /// <summary>Decides the step at <paramref name="atNode"/>; counsel's decision is first recorded as the counsel page records it.</summary>
    public async Task DecideAsync(Guid requestId, string atNode, LifecycleEvent lifecycleEvent, string outcome, string? comments = null, FeeFigures? fee = null)
    {
        await AtAsync(requestId, atNode);
        if (lifecycleEvent == LifecycleEvent.CounselDecided)
        {
            await Lifecycles.RecordCounselReviewAsync(Services, requestId, outcome, comments);
        }
        var result = await TryDecideAsync(requestId, lifecycleEvent, outcome, comments, fee);
        Assert.True(result.Outcome == RequestLifecycle.PublishOutcome.Accepted, $"{atNode} → {outcome}: {result.Outcome} {result.Reason}");
    }

    public Task<RequestLifecycle.PublishResult> TryDecideAsync(Guid requestId, LifecycleEvent lifecycleEvent, string outcome, string? comments = null, FeeFigures? fee = null) =>
        InScopeAsync(s => s.GetRequiredService<RequestLifecycle>().PublishAsync(requestId, lifecycleEvent, outcome, comments, CancellationToken.None, fee));

    public Task<Request> RequestAsync(Guid requestId) =>
        InScopeAsync(s => s.GetRequiredService<AppDbContext>().Requests.AsNoTracking().SingleAsync(r => r.Id == requestId));

    public async Task<List<string>> MailKindsAsync(Guid requestId) =>
        (await InScopeAsync(s => s.GetRequiredService<AppDbContext>().Set<OutboundEmail>().Where(m => m.RequestId == requestId)
            .OrderBy(m => m.QueuedAt).Select(m => m.Kind).ToListAsync())).Select(k => k.ToString()).ToList();

    public Task<List<AuditEvent>> AuditAsync(Guid requestId) =>
        InScopeAsync(s => s.GetRequiredService<AppDbContext>().AuditEvents.AsNoTracking().Where(a => a.RequestId == requestId).OrderBy(a => a.Id).ToListAsync());
}
