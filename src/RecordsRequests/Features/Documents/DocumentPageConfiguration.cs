using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RecordsRequests.Data;
using RecordsRequests.Features.Records;

namespace RecordsRequests.Features.Documents;

internal sealed class DocumentPageConfiguration : IEntityTypeConfiguration<DocumentPage>
{
    public void Configure(EntityTypeBuilder<DocumentPage> builder)
    {
        builder.ToTable("document_pages");
        builder.Property(p => p.ImageSha256).HasMaxLength(64);
        builder.Property(p => p.TextSource).HasConversion<string>().HasMaxLength(20);
        builder.Property(p => p.Words).HasJsonColumn();
        builder.HasIndex(p => new { p.RecordId, p.Number }).IsUnique();
        builder.HasOne<Record>().WithMany().HasForeignKey(p => p.RecordId).OnDelete(DeleteBehavior.Cascade);
    }
}
