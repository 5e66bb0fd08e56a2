using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace RecordsRequests.Features.Releases;

internal sealed class ReleaseConfiguration : IEntityTypeConfiguration<Release>
{
    public void Configure(EntityTypeBuilder<Release> builder)
    {
        builder.ToTable("releases");
        builder.Property(r => r.TokenHash).HasMaxLength(64);
        builder.HasIndex(r => r.TokenHash).IsUnique();
        builder.Property(r => r.SetFingerprint).HasMaxLength(64);
        builder.Property(r => r.ReleasedBy).HasMaxLength(300);
        builder.HasIndex(r => r.RequestId);
        builder.HasMany(r => r.Files).WithOne().HasForeignKey(f => f.ReleaseId).OnDelete(DeleteBehavior.Cascade);
    }
}
