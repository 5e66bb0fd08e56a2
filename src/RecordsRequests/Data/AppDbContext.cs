using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Audit;
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

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        AuditEvents.AddRange(AuditTrail.Capture(ChangeTracker, actor.Name, clock.GetUtcNow()));
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        AuditEvents.AddRange(AuditTrail.Capture(ChangeTracker, actor.Name, clock.GetUtcNow()));
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }
}
