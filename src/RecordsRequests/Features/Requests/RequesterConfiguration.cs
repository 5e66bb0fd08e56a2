using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace RecordsRequests.Features.Requests;

internal sealed class RequesterConfiguration : IEntityTypeConfiguration<Requester>
{
    public void Configure(EntityTypeBuilder<Requester> builder)
    {
        builder.Property(r => r.Name).HasMaxLength(300);
        builder.Property(r => r.Email).HasMaxLength(320);
        builder.Property(r => r.PostalAddress).HasMaxLength(1000);
        builder.Property(r => r.Organization).HasMaxLength(300);
        builder.HasIndex(r => r.Email);
        builder.ToTable(t => t.HasCheckConstraint("ck_requesters_contact", "email IS NOT NULL OR postal_address IS NOT NULL"));
    }
}
