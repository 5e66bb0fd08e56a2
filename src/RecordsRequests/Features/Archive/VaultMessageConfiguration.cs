using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace RecordsRequests.Features.Archive;

internal sealed class VaultMessageConfiguration : IEntityTypeConfiguration<VaultMessage>
{
    public void Configure(EntityTypeBuilder<VaultMessage> builder)
    {
        builder.ToTable("archive_vault_messages");
        builder.Property(v => v.Id).UseIdentityAlwaysColumn();
        builder.HasOne<ArchiveItem>().WithMany().HasForeignKey(v => v.ItemId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(v => new { v.ItemId, v.DocumentId }).IsUnique();
        builder.Property(v => v.DocumentId).HasMaxLength(200);
        builder.Property(v => v.Account).HasMaxLength(320);
        builder.Property(v => v.Labels).HasMaxLength(4000);
        builder.Property(v => v.GmailMessageId).HasMaxLength(100);
        builder.Property(v => v.ExportFile).HasMaxLength(2000);
    }
}
