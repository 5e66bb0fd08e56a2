using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RecordsRequests.Features.Requests;

namespace RecordsRequests.Features.Archive;

internal sealed class SavedSearchConfiguration : IEntityTypeConfiguration<SavedSearch>
{
    public void Configure(EntityTypeBuilder<SavedSearch> builder)
    {
        builder.ToTable("archive_saved_searches");
        builder.Property(s => s.Query).HasMaxLength(4000);
        builder.Property(s => s.Custodian).HasMaxLength(200);
        builder.Property(s => s.SearchedBy).HasMaxLength(300);
        builder.HasIndex(s => s.RequestId);
        builder.HasOne<Request>().WithMany().HasForeignKey(s => s.RequestId).OnDelete(DeleteBehavior.Restrict);
    }
}
