using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using RecordsRequests.Features.Requests;

namespace RecordsRequests.Features.Deadlines;

/// <summary>
/// A request's next live statutory date, kept beside its clocks so the queue can be ordered by an index instead of
/// aggregating every clock of every open request on each page view. Derived data, rewritten with the clocks.
/// Every request has one row (with no date until it has clocks), and the row carries a copy of the request's facts the
/// queue filters and sorts on, so the queue's first page is a range scan of one index (open, due date, received, id)
/// stopped after a page, instead of joining and sorting every open request on each page view.
/// </summary>
public sealed class RequestNextDue
{
    public Guid RequestId { get; private set; }
    public DateOnly? DueDate { get; private set; }
    public ClockKind? Kind { get; private set; }

    /// <summary>Copies of the request's columns, kept equal to them by <see cref="FollowRequestsAsync"/> on every save.</summary>
    public DateTimeOffset ReceivedAt { get; private set; }
    public RequestStatus Status { get; private set; }
    public bool IsOpen { get; private set; }
    public string? AssignedOfficerId { get; private set; }
    public CitedLaw CitedLaw { get; private set; }

    private RequestNextDue() { }

    internal static RequestNextDue For(Guid requestId) => new() { RequestId = requestId };

    private void Follow(Request request)
    {
        ReceivedAt = request.ReceivedAt;
        Status = request.Status;
        IsOpen = request.Status.IsOpen();
        AssignedOfficerId = request.AssignedOfficerId;
        CitedLaw = request.CitedLaw;
    }

    /// <summary>
    /// Called by <see cref="QueueReadModel"/> before each save writes: gives every new request its row and copies the changed facts of every
    /// request being saved (status, assignee, ...) into its row, so the copy commits in the same transaction as the
    /// change. A row added for a request that is not being saved (the clock sweep meeting an older request) is filled
    /// from the database.
    /// </summary>
    internal static async Task FollowRequestsAsync(DbContext db, CancellationToken cancellationToken)
    {
        var detect = db.ChangeTracker.AutoDetectChangesEnabled;
        // One scan for changes here (each Entries() call would rescan; the clock sweep tracks every open request's clocks),
        // unless the save scanned already and turned scanning off (AppDbContext.SaveChangesInBulkAsync).
        if (detect)
        {
            db.ChangeTracker.DetectChanges();
        }
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            await FollowDetectedAsync(db, cancellationToken);
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = detect;
        }
    }

    private static async Task FollowDetectedAsync(DbContext db, CancellationToken cancellationToken)
    {
        var saved = db.ChangeTracker.Entries<Request>()
            .Where(e => e.State == EntityState.Added || (e.State == EntityState.Modified && FollowedChanged(e)))
            .ToList();
        var rows = db.ChangeTracker.Entries<RequestNextDue>()
            .Where(e => e.State != EntityState.Deleted && e.State != EntityState.Detached)
            .ToDictionary(e => e.Entity.RequestId, e => e.Entity);
        var toLoad = saved.Where(e => e.State == EntityState.Modified && !rows.ContainsKey(e.Entity.Id)).Select(e => e.Entity.Id).ToList();
        if (toLoad.Count > 0)
        {
            foreach (var row in await db.Set<RequestNextDue>().Where(n => toLoad.Contains(n.RequestId)).ToListAsync(cancellationToken))
            {
                rows[row.RequestId] = row;
            }
        }
        foreach (var request in saved.Select(e => e.Entity))
        {
            if (!rows.TryGetValue(request.Id, out var row))
            {
                row = For(request.Id);
                db.Add(row);
                rows[request.Id] = row;
            }
            row.Follow(request);
            if (db.Entry(row).State != EntityState.Added)
            {
                // Its own values compared, so the changes it just took are saved without another scan of the whole tracker.
                db.Entry(row).DetectChanges();
            }
        }
        var savedIds = saved.Select(e => e.Entity.Id).ToHashSet();
        var unfilled = db.ChangeTracker.Entries<RequestNextDue>()
            .Where(e => e.State == EntityState.Added && !savedIds.Contains(e.Entity.RequestId))
            .ToDictionary(e => e.Entity.RequestId, e => e.Entity);
        if (unfilled.Count > 0)
        {
            var ids = unfilled.Keys.ToList();
            foreach (var request in await db.Set<Request>().AsNoTracking().Where(r => ids.Contains(r.Id)).ToListAsync(cancellationToken))
            {
                unfilled[request.Id].Follow(request);
            }
        }
    }

    private static bool FollowedChanged(EntityEntry<Request> entry) =>
        entry.Property(r => r.Status).IsModified || entry.Property(r => r.AssignedOfficerId).IsModified
        || entry.Property(r => r.CitedLaw).IsModified || entry.Property(r => r.ReceivedAt).IsModified;

    /// <summary>The earliest clock that still binds (<see cref="BindingClocks"/>): the same clocks reminders follow.</summary>
    internal void Update(ComputedClocks set, ClockInputs inputs)
    {
        var next = set.Clocks
            .Where(c => BindingClocks.StillBinds(c.Kind, c.Kind == set.GoverningProduction, inputs))
            .OrderBy(c => c.Due.Date)
            .FirstOrDefault();
        DueDate = next?.Due.Date;
        Kind = next?.Kind;
    }
}
