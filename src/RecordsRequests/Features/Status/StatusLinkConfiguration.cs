using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RecordsRequests.Features.Requests;

namespace RecordsRequests.Features.Status;

internal sealed class StatusLinkConfiguration : IEntityTypeConfiguration<StatusLink>
{
    public void Configure(EntityTypeBuilder<StatusLink> builder)
    {
        builder.ToTable("status_links");
        builder.Property(l => l.TokenHash).HasMaxLength(64);
        builder.HasIndex(l => l.TokenHash).IsUnique();
        builder.Property(l => l.IssuedFor).HasMaxLength(40);
        builder.HasIndex(l => l.RequestId);
        builder.HasOne<Request>().WithMany().HasForeignKey(l => l.RequestId).OnDelete(DeleteBehavior.Cascade);
    }
}
