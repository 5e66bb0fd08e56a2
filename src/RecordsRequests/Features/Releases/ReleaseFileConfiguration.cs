using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace RecordsRequests.Features.Releases;

internal sealed class ReleaseFileConfiguration : IEntityTypeConfiguration<ReleaseFile>
{
    public void Configure(EntityTypeBuilder<ReleaseFile> builder)
    {
        builder.ToTable("release_files");
        builder.Property(f => f.FileName).HasMaxLength(200);
        builder.Property(f => f.ContentType).HasMaxLength(100);
        builder.Property(f => f.Sha256).HasMaxLength(64);
        builder.Property(f => f.Kind).HasConversion<string>().HasMaxLength(30);
        builder.Property(f => f.FirstBates).HasMaxLength(60);
        builder.Property(f => f.LastBates).HasMaxLength(60);
    }
}
