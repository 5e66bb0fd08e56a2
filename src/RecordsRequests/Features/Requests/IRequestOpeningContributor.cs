namespace RecordsRequests.Features.Requests;

/// <summary>
/// Adds what must commit together with a new request (for example, the deadlines feature adds its clocks, so the queue
/// can sort by them and reminders find them at once) to the unit of work that opens it, before it is saved. Unlike an
/// <see cref="IRequestOpenedObserver"/>, a contributor that fails fails the opening: nothing is committed.
/// </summary>
public interface IRequestOpeningContributor
{
    Task AddToOpeningAsync(Request request, CancellationToken cancellationToken);
}
