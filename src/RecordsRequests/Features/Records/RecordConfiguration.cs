using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace RecordsRequests.Features.Records;

internal sealed class RecordConfiguration : IEntityTypeConfiguration<Record>
{
    public void Configure(EntityTypeBuilder<Record> builder)
    {
        builder.Property(r => r.FileName).HasMaxLength(500);
        builder.Property(r => r.ContentType).HasMaxLength(200);
        builder.Property(r => r.Sha256).HasMaxLength(64);
        builder.Property(r => r.Source).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.Disposition).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.AddedBy).HasMaxLength(300);
        builder.Property(r => r.PagesState).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.PagesFailure).HasMaxLength(1000);
        builder.Property(r => r.RenditionSha256).HasMaxLength(64);
        builder.HasIndex(r => r.RequestId);
        builder.HasIndex(r => r.PagesState).HasFilter("pages_state in ('Queued', 'Converting', 'Reading')");
        builder.HasOne(r => r.Request).WithMany().HasForeignKey(r => r.RequestId).OnDelete(DeleteBehavior.Restrict);
    }
}
