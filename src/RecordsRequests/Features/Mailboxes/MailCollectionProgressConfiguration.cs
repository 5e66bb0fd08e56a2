using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace RecordsRequests.Features.Mailboxes;

internal sealed class MailCollectionProgressConfiguration : IEntityTypeConfiguration<MailCollectionProgress>
{
    public void Configure(EntityTypeBuilder<MailCollectionProgress> builder)
    {
        builder.ToTable("mail_collection_progress");
        builder.HasKey(p => p.CollectionId);
        builder.HasOne<MailCollection>().WithOne().HasForeignKey<MailCollectionProgress>(p => p.CollectionId).OnDelete(DeleteBehavior.Cascade);
        // Graph's next links run to hundreds of characters; no limit is documented.
        builder.Property(p => p.Position).HasColumnType("text");
        builder.Ignore(p => p.PerMinute);
        builder.Ignore(p => p.TimeLeft);
    }
}
