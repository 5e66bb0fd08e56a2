using RecordsRequests.Features.Requests;

namespace RecordsRequests.Features.Workflow;

/// <summary>Starts a request's lifecycle as soon as the request commits.</summary>
internal sealed class StartLifecycleOnOpen(RequestLifecycle lifecycle) : IRequestOpenedObserver
{
    public Task OnOpenedAsync(Guid requestId, CancellationToken cancellationToken) => lifecycle.StartAsync(requestId, cancellationToken);

    public Task OnOpenedAsync(IReadOnlyList<Guid> requestIds, CancellationToken cancellationToken) => lifecycle.StartAllAsync(requestIds, cancellationToken);
}
