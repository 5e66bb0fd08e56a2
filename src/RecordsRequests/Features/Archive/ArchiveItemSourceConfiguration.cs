using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace RecordsRequests.Features.Archive;

internal sealed class ArchiveItemSourceConfiguration : IEntityTypeConfiguration<ArchiveItemSource>
{
    public void Configure(EntityTypeBuilder<ArchiveItemSource> builder)
    {
        builder.ToTable("archive_item_sources");
        builder.Property(s => s.Id).UseIdentityAlwaysColumn();
        builder.Property(s => s.Custodian).HasMaxLength(200);
        builder.Property(s => s.SourceFile).HasMaxLength(2000);
        builder.Property(s => s.OriginalSha256).HasMaxLength(64);
        builder.Property(s => s.Origin).HasMaxLength(500);
        builder.HasIndex(s => new { s.SourceFile, s.Offset }).IsUnique();
        builder.HasIndex(s => new { s.ItemId, s.Custodian });
        builder.HasIndex(s => s.Custodian);
    }
}
