namespace RecordsRequests.Features.Requests;

/// <summary>
/// Told after a new request has committed (for example, the workflow feature starts the request's lifecycle). A
/// failure here does not undo the request: observers must also recover requests they missed (the workflow sweep does).
/// </summary>
public interface IRequestOpenedObserver
{
    Task OnOpenedAsync(Guid requestId, CancellationToken cancellationToken);

    /// <summary>Told of requests opened together (a batch of intake), after they committed; one at a time unless the observer does better.</summary>
    async Task OnOpenedAsync(IReadOnlyList<Guid> requestIds, CancellationToken cancellationToken)
    {
        foreach (var requestId in requestIds)
        {
            await OnOpenedAsync(requestId, cancellationToken);
        }
    }
}
