using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace RecordsRequests.Features.Redactions;

internal sealed class RosterUploadConfiguration : IEntityTypeConfiguration<RosterUpload>
{
    public void Configure(EntityTypeBuilder<RosterUpload> builder)
    {
        builder.ToTable("roster_uploads");
        builder.Property(r => r.FileName).HasMaxLength(300);
        builder.Property(r => r.Sha256).HasMaxLength(64);
        builder.Property(r => r.UploadedBy).HasMaxLength(300);
        builder.HasIndex(r => r.UploadedAt);
    }
}
