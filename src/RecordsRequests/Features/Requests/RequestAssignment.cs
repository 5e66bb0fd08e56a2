using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;

namespace RecordsRequests.Features.Requests;

/// <summary>
/// Assigns requests to an officer (or to nobody). A request row carries a version that rejects a save based on a stale
/// read, and the workflow changes a request's status at any moment (the acknowledgement and triage steps run seconds
/// after it is opened): that says nothing about who works it. So a save refused only because something else changed
/// is made again on the fresh row; a colleague's different assignment made meanwhile is never overwritten.
/// </summary>
public static class RequestAssignment
{
    private const int Attempts = 5;

    /// <summary>The requests assigned, or <see cref="Result.ChangedMeanwhile"/> when someone else assigned one of them first.</summary>
    public sealed record Result(IReadOnlyList<string> Assigned, IReadOnlyList<string> ChangedMeanwhile);

    public static async Task<Result> AssignAsync(AppDbContext db, IReadOnlyCollection<string> trackingNumbers, string? officerId, CancellationToken cancellationToken)
    {
        Dictionary<string, string?>? assignedWhenRead = null;
        for (var attempt = 1; ; attempt++)
        {
            var requests = await db.Requests.Where(r => trackingNumbers.Contains(r.TrackingNumber)).ToListAsync(cancellationToken);
            assignedWhenRead ??= requests.ToDictionary(r => r.TrackingNumber, r => r.AssignedOfficerId);
            var changed = requests.Where(r => assignedWhenRead.TryGetValue(r.TrackingNumber, out var before) && before != r.AssignedOfficerId)
                .Select(r => r.TrackingNumber).ToList();
            if (changed.Count > 0)
            {
                db.ChangeTracker.Clear();
                return new Result([], changed);
            }
            foreach (var request in requests)
            {
                request.AssignTo(officerId);
            }
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return new Result(requests.Select(r => r.TrackingNumber).ToList(), []);
            }
            catch (DbUpdateConcurrencyException) when (attempt < Attempts)
            {
                // Nothing was saved (the change and its audit rows are one transaction): read the rows again and retry.
                db.ChangeTracker.Clear();
            }
        }
    }
}
