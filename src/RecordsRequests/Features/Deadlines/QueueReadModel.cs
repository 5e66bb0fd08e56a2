using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace RecordsRequests.Features.Deadlines;

/// <summary>
/// Keeps the queue's read model (<see cref="RequestNextDue"/>) following the requests. It is an EF interceptor on the
/// application's context, so every save copies the changed facts of each request being saved into its row before the
/// rows are written, in the same transaction as the change, and the context itself knows nothing of the queue.
/// </summary>
internal sealed class QueueReadModel : SaveChangesInterceptor
{
    public static QueueReadModel Instance { get; } = new();

    /// <summary>What the interceptor does before a save, for a save that writes rows itself (<see cref="Data.AppDbContext.SaveChangesInBulkAsync"/>).</summary>
    public static Task FollowRequestsAsync(DbContext db, CancellationToken cancellationToken) => RequestNextDue.FollowRequestsAsync(db, cancellationToken);

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } db)
        {
            await RequestNextDue.FollowRequestsAsync(db, cancellationToken);
        }
        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is { } db)
        {
            RequestNextDue.FollowRequestsAsync(db, CancellationToken.None).GetAwaiter().GetResult();
        }
        return result;
    }
}
