using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace RecordsRequests.Features.Audit;

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> builder)
    {
        builder.Property(a => a.Id).UseIdentityAlwaysColumn();
        builder.HasIndex(a => a.Sequence).IsUnique();
        builder.Property(a => a.PreviousHash).HasMaxLength(64);
        builder.Property(a => a.Hash).HasMaxLength(64);
        // json, not jsonb: json keeps the exact text, so the hash computed at save time can be recomputed on read.
        builder.Property(a => a.Before).HasColumnType("json");
        builder.Property(a => a.After).HasColumnType("json");
        builder.Property(a => a.Actor).HasMaxLength(300);
        builder.Property(a => a.Action).HasMaxLength(100);
        builder.Property(a => a.EntityType).HasMaxLength(100);
        builder.Property(a => a.EntityId).HasMaxLength(100);
        // A request's events by time; the whole trail is read in order of its chain (Sequence), so time alone needs no index.
        builder.HasIndex(a => new { a.RequestId, a.OccurredAt });
    }
}
