using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace RecordsRequests.Features.Deadlines;

internal sealed class FeeEstimateConfiguration : IEntityTypeConfiguration<FeeEstimate>
{
    public void Configure(EntityTypeBuilder<FeeEstimate> builder)
    {
        builder.ToTable("fee_estimates");
        builder.HasOne<Requests.Request>().WithMany().HasForeignKey(f => f.RequestId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(f => f.RequestId);
        builder.Property(f => f.RedactionBasis).HasConversion<string>().HasMaxLength(30);
        builder.Property(f => f.WaiverReason).HasConversion<string>().HasMaxLength(30);
        builder.Property(f => f.WaiverExplanation).HasMaxLength(2000);
        builder.Property(f => f.StorageMediaCost).HasPrecision(10, 2);
        builder.Property(f => f.SearchHours).HasPrecision(8, 2);
        builder.Property(f => f.RedactionHours).HasPrecision(8, 2);
        builder.Property(f => f.Subtotal).HasPrecision(10, 2);
        builder.Property(f => f.Reduction).HasPrecision(10, 2);
        builder.Property(f => f.Total).HasPrecision(10, 2);
        builder.Property(f => f.ItemisedJson).HasColumnType("jsonb");
    }
}
