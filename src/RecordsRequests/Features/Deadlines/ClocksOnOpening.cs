using RecordsRequests.Features.Requests;

namespace RecordsRequests.Features.Deadlines;

/// <summary>A new request's clocks are stored in the transaction that opens it, so the queue can sort by them and reminders can find them at once.</summary>
internal sealed class ClocksOnOpening(RequestClockUpdater clocks) : IRequestOpeningContributor
{
    public async Task AddToOpeningAsync(Request request, CancellationToken cancellationToken) => await clocks.ComputeForOpeningAsync(request, cancellationToken);
}
