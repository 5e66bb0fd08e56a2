using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace RecordsRequests.Features.Deadlines;

internal sealed class RequestClockInputConfiguration : IEntityTypeConfiguration<RequestClockInput>
{
    public void Configure(EntityTypeBuilder<RequestClockInput> builder)
    {
        builder.ToTable("request_clock_inputs");
        builder.HasKey(i => i.RequestId);
        builder.HasOne<Requests.Request>().WithOne().HasForeignKey<RequestClockInput>(i => i.RequestId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(i => i.ExtensionReference).HasMaxLength(200);
        builder.Property(i => i.AgreedNote).HasMaxLength(500);
    }
}
