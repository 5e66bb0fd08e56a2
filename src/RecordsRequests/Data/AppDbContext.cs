using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Audit;
using RecordsRequests.Features.Deadlines;
using RecordsRequests.Features.Messages;
using RecordsRequests.Features.Records;
using RecordsRequests.Features.Requests;
using RecordsRequests.Hosting;

namespace RecordsRequests.Data;

/// <summary>The one database context. Each entity's configuration lives beside the entity in its feature folder.</summary>
public sealed class AppDbContext(DbContextOptions<AppDbContext> options, ICurrentActor actor, TimeProvider clock)
    : IdentityDbContext<StaffUser>(options), IDataProtectionKeyContext
{
    /// <summary>Keys for auth cookies, anti-forgery and reset tokens, shared by every app instance and kept across restarts.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Request> Requests => Set<Request>();
    public DbSet<Requester> Requesters => Set<Requester>();
    public DbSet<Message> Messages => Set<Message>();
    public DbSet<Record> Records => Set<Record>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<TrackingCounter> TrackingCounters => Set<TrackingCounter>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        SaveChangesAsync(acceptAllChangesOnSuccess).GetAwaiter().GetResult();

    /// <summary>
    /// Adds an audit event for every audited change, chains all new audit events, and saves everything in one
    /// transaction: the change and its audit record commit together or not at all. (The queue's read model follows the
    /// saved requests in the same save through its own interceptor, QueueReadModel, registered in DataModule.)
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        AuditEvents.AddRange(AuditTrail.Capture(ChangeTracker, actor.Name, clock.GetUtcNow()));
        var pending = ChangeTracker.Entries<AuditEvent>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
        if (pending.Count == 0)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        if (Database.CurrentTransaction is not null)
        {
            return await ChainAndSaveAsync(pending, acceptAllChangesOnSuccess, cancellationToken);
        }
        await using var transaction = await Database.BeginTransactionAsync(cancellationToken);
        var saved = await ChainAndSaveAsync(pending, acceptAllChangesOnSuccess, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return saved;
    }

    /// <summary>
    /// Saves as <see cref="SaveChangesAsync(bool, CancellationToken)"/> does (every audited change audited, the events
    /// chained, all in the caller's transaction), but writes the added rows with one COPY a table and the changed rows with
    /// one UPDATE a table (<see cref="RowsInBulk"/>): for a save that writes thousands of rows (a batch of intake).
    /// </summary>
    public async Task<int> SaveChangesInBulkAsync(CancellationToken cancellationToken)
    {
        if (Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Rows are copied inside the caller's transaction.");
        }
        // What the save's interceptor would add (the queue's rows of new requests) is added first, to be copied with them.
        // It scans the tracker for changes once and leaves what it changes marked; the rest of the save reads the tracker
        // as marked, since every Entries() call and EF Core's own save would scan a batch's thousands of values again.
        await QueueReadModel.FollowRequestsAsync(this, cancellationToken);
        var detect = ChangeTracker.AutoDetectChangesEnabled;
        ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            AuditEvents.AddRange(AuditTrail.Capture(ChangeTracker, actor.Name, clock.GetUtcNow()));
            var pending = ChangeTracker.Entries<AuditEvent>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
            if (pending.Count > 0)
            {
                await AuditChain.AppendAsync(this, pending, _chainHead, cancellationToken);
            }
            return await RowsInBulk.CopyAddedAsync(this, cancellationToken) + await RowsInBulk.UpdateModifiedAsync(this, cancellationToken)
                + await base.SaveChangesAsync(true, cancellationToken);
        }
        catch
        {
            _chainHead.Forget();
            throw;
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = detect;
        }
    }

    /// <summary>Where the chain ends in the current transaction, so its later saves append without asking the database.</summary>
    private readonly AuditChain.Head _chainHead = new();

    private async Task<int> ChainAndSaveAsync(List<AuditEvent> pending, bool acceptAllChangesOnSuccess, CancellationToken cancellationToken)
    {
        await AuditChain.AppendAsync(this, pending, _chainHead, cancellationToken);
        try
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        catch
        {
            // Its events were not written (rolled back to the save's savepoint, or with the transaction): read the head again next time.
            _chainHead.Forget();
            throw;
        }
    }
}
