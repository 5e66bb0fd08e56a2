using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RecordsRequests.Features.Requests;

namespace RecordsRequests.Features.Mailboxes;

internal sealed class MailCollectionConfiguration : IEntityTypeConfiguration<MailCollection>
{
    public void Configure(EntityTypeBuilder<MailCollection> builder)
    {
        builder.ToTable("mail_collections");
        builder.HasOne<Request>().WithMany().HasForeignKey(c => c.RequestId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<MailboxConnection>().WithMany().HasForeignKey(c => c.ConnectionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(c => new { c.RequestId, c.QueuedAt });
        builder.Property(c => c.ConnectionName).HasMaxLength(200);
        builder.Property(c => c.Custodian).HasMaxLength(320);
        builder.Property(c => c.Terms).HasMaxLength(500);
        builder.Property(c => c.StartedBy).HasMaxLength(300);
        builder.Property(c => c.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(c => c.Outcome).HasMaxLength(2000);
    }
}
