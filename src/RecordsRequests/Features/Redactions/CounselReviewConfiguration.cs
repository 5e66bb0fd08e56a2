using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace RecordsRequests.Features.Redactions;

internal sealed class CounselReviewConfiguration : IEntityTypeConfiguration<CounselReview>
{
    public void Configure(EntityTypeBuilder<CounselReview> builder)
    {
        builder.ToTable("counsel_reviews");
        builder.Property(r => r.Decision).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.Counsel).HasMaxLength(300);
        builder.Property(r => r.Comment).HasMaxLength(4000);
        builder.Property(r => r.SetFingerprint).HasMaxLength(64);
        builder.HasIndex(r => new { r.RequestId, r.DecidedAt });
    }
}
