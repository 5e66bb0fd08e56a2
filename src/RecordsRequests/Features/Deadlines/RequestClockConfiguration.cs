using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace RecordsRequests.Features.Deadlines;

internal sealed class RequestClockConfiguration : IEntityTypeConfiguration<RequestClock>
{
    public void Configure(EntityTypeBuilder<RequestClock> builder)
    {
        builder.ToTable("request_clocks");
        builder.HasKey(c => new { c.RequestId, c.Kind });
        builder.Property(c => c.Kind).HasConversion<string>().HasMaxLength(30);
        builder.Property(c => c.Explanation).HasMaxLength(4000);
        builder.HasOne<Requests.Request>().WithMany().HasForeignKey(c => c.RequestId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(c => c.DueDate);
    }
}
