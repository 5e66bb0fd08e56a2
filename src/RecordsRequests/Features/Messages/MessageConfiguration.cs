using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RecordsRequests.Features.Audit;

namespace RecordsRequests.Features.Messages;

internal sealed class MessageConfiguration : IEntityTypeConfiguration<Message>
{
    public void Configure(EntityTypeBuilder<Message> builder)
    {
        builder.Property(m => m.Direction).HasConversion<string>().HasMaxLength(10);
        builder.Property(m => m.Channel).HasConversion<string>().HasMaxLength(20);
        builder.Property(m => m.InternetMessageId).HasMaxLength(1000);
        builder.Property(m => m.Subject).HasMaxLength(2000);
        builder.Property(m => m.FromAddress).HasMaxLength(1000);
        // Read from the raw bytes, whose hash the trail keeps: the text is audited by its length and hash, not copied again.
        builder.Property(m => m.BodyText).HasAnnotation(AuditTrail.ByLengthAndHash, true);
        builder.Property(m => m.RawSha256).HasMaxLength(64);
        builder.HasIndex(m => m.RawSha256);
        builder.HasIndex(m => m.InternetMessageId);
        builder.HasIndex(m => new { m.RequestId, m.RecordedAt });
        builder.HasOne(m => m.Request).WithMany().HasForeignKey(m => m.RequestId).OnDelete(DeleteBehavior.Restrict);
    }
}
