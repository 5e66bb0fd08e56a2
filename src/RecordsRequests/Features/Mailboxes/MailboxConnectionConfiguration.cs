using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace RecordsRequests.Features.Mailboxes;

internal sealed class MailboxConnectionConfiguration : IEntityTypeConfiguration<MailboxConnection>
{
    public void Configure(EntityTypeBuilder<MailboxConnection> builder)
    {
        builder.ToTable("mailbox_connections");
        builder.Property(c => c.Name).HasMaxLength(200);
        builder.HasIndex(c => c.Name).IsUnique();
        builder.Property(c => c.Kind).HasConversion<string>().HasMaxLength(30);
        builder.Property(c => c.Mailbox).HasMaxLength(320);
        builder.Property(c => c.TenantId).HasMaxLength(200);
        builder.Property(c => c.ClientId).HasMaxLength(320);
        builder.Property(c => c.ImapHost).HasMaxLength(255);
        builder.Property(c => c.SmtpHost).HasMaxLength(255);
        builder.Property(c => c.Security).HasMaxLength(20);
        builder.Property(c => c.Folder).HasMaxLength(255);
        builder.Property(c => c.SecretDescription).HasMaxLength(300);
        builder.Property(c => c.LastTestOutcome).HasMaxLength(2000);
        builder.Ignore(c => c.Endpoint);
        builder.Ignore(c => c.IntakeSource);
        builder.Ignore(c => c.Upstream);
    }
}
