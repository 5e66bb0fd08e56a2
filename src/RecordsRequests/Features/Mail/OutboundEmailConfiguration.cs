using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace RecordsRequests.Features.Mail;

internal sealed class OutboundEmailConfiguration : IEntityTypeConfiguration<OutboundEmail>
{
    public void Configure(EntityTypeBuilder<OutboundEmail> builder)
    {
        builder.ToTable("outbound_emails");
        builder.Property(m => m.Kind).HasConversion<string>().HasMaxLength(50);
        builder.Property(m => m.IdempotencyKey).HasMaxLength(300);
        builder.HasIndex(m => m.IdempotencyKey).IsUnique();
        builder.Property(m => m.ToAddress).HasMaxLength(320);
        builder.Property(m => m.ToName).HasMaxLength(300);
        builder.Property(m => m.Subject).HasMaxLength(1000);
        builder.Property(m => m.InternetMessageId).HasMaxLength(300);
        builder.HasIndex(m => m.InternetMessageId).IsUnique();
        builder.Property(m => m.InReplyTo).HasMaxLength(1000);
        builder.Property(m => m.LastError).HasMaxLength(2000);
        builder.HasIndex(m => m.NextAttemptAt).HasFilter("sent_at IS NULL");
        builder.HasIndex(m => m.RequestId);
    }
}
