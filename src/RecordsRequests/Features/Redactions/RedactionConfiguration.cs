using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RecordsRequests.Data;

namespace RecordsRequests.Features.Redactions;

internal sealed class RedactionConfiguration : IEntityTypeConfiguration<Redaction>
{
    public void Configure(EntityTypeBuilder<Redaction> builder)
    {
        builder.ToTable("redactions");
        builder.Property(r => r.Category).HasConversion<string>().HasMaxLength(40);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.ExemptionCode).HasMaxLength(40);
        builder.Property(r => r.Note).HasMaxLength(2000);
        builder.Property(r => r.ProposedBy).HasMaxLength(300);
        builder.Property(r => r.ReviewedBy).HasMaxLength(300);
        builder.HasIndex(r => new { r.RequestId, r.Status });
        builder.Property(r => r.Kind).HasConversion<string>().HasMaxLength(10);
        builder.Property(r => r.PlacementProblem).HasMaxLength(500);
        builder.Property(r => r.Boxes).HasJsonColumn();
        builder.HasIndex(r => new { r.RecordId, r.Start, r.End });
        builder.HasOne(r => r.Record).WithMany().HasForeignKey(r => r.RecordId).OnDelete(DeleteBehavior.Restrict);
    }
}
