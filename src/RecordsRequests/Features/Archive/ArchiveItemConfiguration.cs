using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace RecordsRequests.Features.Archive;

internal sealed class ArchiveItemConfiguration : IEntityTypeConfiguration<ArchiveItem>
{
    public void Configure(EntityTypeBuilder<ArchiveItem> builder)
    {
        builder.ToTable("archive_items");
        builder.Property(i => i.Sha256).HasMaxLength(64);
        builder.HasIndex(i => i.Sha256).IsUnique();
        builder.Property(i => i.Identity).HasMaxLength(64);
        builder.HasIndex(i => i.Identity).IsUnique();
        builder.Property(i => i.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(i => i.FileName).HasMaxLength(500);
        builder.Property(i => i.ContentType).HasMaxLength(200);
        builder.Property(i => i.MessageId).HasMaxLength(998);
        builder.HasIndex(i => i.MessageId);
        builder.Property(i => i.Subject).HasMaxLength(1000);
        builder.Property(i => i.Sender).HasMaxLength(500);
        builder.HasMany(i => i.Sources).WithOne().HasForeignKey(s => s.ItemId).OnDelete(DeleteBehavior.Cascade);
    }
}
