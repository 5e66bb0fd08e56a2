using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace RecordsRequests.Features.Archive;

internal sealed class ArchiveImportRunConfiguration : IEntityTypeConfiguration<ArchiveImportRun>
{
    public void Configure(EntityTypeBuilder<ArchiveImportRun> builder)
    {
        builder.ToTable("archive_import_runs");
        builder.Property(r => r.FileName).HasMaxLength(300);
        builder.Property(r => r.Custodian).HasMaxLength(300);
        builder.Property(r => r.StoredPath).HasMaxLength(1000);
        builder.Property(r => r.StartedBy).HasMaxLength(300);
        builder.Property(r => r.Progress).HasMaxLength(1000);
        builder.Property(r => r.Outcome).HasMaxLength(4000);
        builder.HasIndex(r => r.QueuedAt);
    }
}
