using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RecordsRequests.Features.Requests;

namespace RecordsRequests.Features.Status;

internal sealed class AddressConfirmationConfiguration : IEntityTypeConfiguration<AddressConfirmation>
{
    public void Configure(EntityTypeBuilder<AddressConfirmation> builder)
    {
        builder.ToTable("address_confirmations");
        builder.Property(c => c.Email).HasMaxLength(320);
        builder.Property(c => c.TokenHash).HasMaxLength(64);
        builder.HasIndex(c => c.TokenHash).IsUnique();
        builder.HasIndex(c => new { c.RequestId, c.Email });
        builder.HasOne<Request>().WithMany().HasForeignKey(c => c.RequestId).OnDelete(DeleteBehavior.Cascade);
    }
}
