using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RecordsRequests.Features.Requests;

namespace RecordsRequests.Features.Intake;

internal sealed class InboundMessageConfiguration : IEntityTypeConfiguration<InboundMessage>
{
    public void Configure(EntityTypeBuilder<InboundMessage> builder)
    {
        builder.ToTable("inbound_messages");
        builder.Property(m => m.RawSha256).HasMaxLength(64);
        builder.HasIndex(m => m.RawSha256).IsUnique();
        builder.Property(m => m.Source).HasConversion<string>().HasMaxLength(20);
        builder.Property(m => m.SourceReference).HasMaxLength(1000);
        builder.Property(m => m.InternetMessageId).HasMaxLength(1000);
        builder.HasIndex(m => m.InternetMessageId);
        builder.Property(m => m.Subject).HasMaxLength(2000);
        builder.Property(m => m.FromAddress).HasMaxLength(1000);
        builder.Property(m => m.Classification).HasConversion<string>().HasMaxLength(20);
        builder.HasIndex(m => m.Classification);
        builder.Property(m => m.Reason).HasMaxLength(2000);
        builder.Property(m => m.SimilarTo).HasMaxLength(300);
        builder.Property(m => m.ReclassifiedBy).HasMaxLength(300);
        builder.Property(m => m.SenderVerification).HasMaxLength(500);
        builder.Property(m => m.SpamNotScored).HasMaxLength(500);
        builder.Property(m => m.ReleasedFromSpamBy).HasMaxLength(300);
        builder.HasOne<Request>().WithMany().HasForeignKey(m => m.ClaimedRequestId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Request>().WithMany().HasForeignKey(m => m.RequestId).OnDelete(DeleteBehavior.Restrict);
    }
}
