using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace RecordsRequests.Features.Mailboxes;

internal sealed class MailboxCheckpointConfiguration : IEntityTypeConfiguration<MailboxCheckpoint>
{
    public void Configure(EntityTypeBuilder<MailboxCheckpoint> builder)
    {
        builder.ToTable("mailbox_checkpoints");
        builder.HasKey(c => c.ConnectionId);
        builder.HasOne<MailboxConnection>().WithOne().HasForeignKey<MailboxCheckpoint>(c => c.ConnectionId).OnDelete(DeleteBehavior.Cascade);
        // Graph delta links run to hundreds of characters; no limit is documented.
        builder.Property(c => c.Position).HasColumnType("text");
        builder.Property(c => c.LastError).HasMaxLength(2000);
    }
}
