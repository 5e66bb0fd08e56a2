using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace RecordsRequests.Features.Requests;

internal sealed class TrackingCounterConfiguration : IEntityTypeConfiguration<TrackingCounter>
{
    public void Configure(EntityTypeBuilder<TrackingCounter> builder) => builder.HasKey(c => c.Year);
}
