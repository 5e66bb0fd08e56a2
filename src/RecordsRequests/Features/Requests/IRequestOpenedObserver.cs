namespace RecordsRequests.Features.Requests;

/// <summary>
/// Told after a new request has committed (for example, the workflow feature starts the request's lifecycle). A
/// failure here does not undo the request: observers must also recover requests they missed (the workflow sweep does).
/// </summary>
public interface IRequestOpenedObserver
{
    Task OnOpenedAsync(Guid requestId, CancellationToken cancellationToken);
}
