using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace RecordsRequests.Features.Deadlines;

internal sealed class DistrictClosureConfiguration : IEntityTypeConfiguration<DistrictClosure>
{
    public void Configure(EntityTypeBuilder<DistrictClosure> builder)
    {
        builder.ToTable("district_closures");
        builder.HasIndex(c => c.Date).IsUnique();
        builder.Property(c => c.Reason).HasMaxLength(200);
        builder.Property(c => c.EnteredBy).HasMaxLength(300);
    }
}
