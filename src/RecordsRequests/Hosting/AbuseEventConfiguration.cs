using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace RecordsRequests.Hosting;

internal sealed class AbuseEventConfiguration : IEntityTypeConfiguration<AbuseEvent>
{
    public void Configure(EntityTypeBuilder<AbuseEvent> builder)
    {
        builder.ToTable("abuse_events");
        builder.Property(e => e.Channel).HasConversion<string>().HasMaxLength(20);
        builder.Property(e => e.Outcome).HasMaxLength(30);
        builder.Property(e => e.Client).HasMaxLength(100);
        builder.Property(e => e.Account).HasMaxLength(320);
        builder.HasIndex(e => new { e.Channel, e.Account, e.At });
        builder.HasIndex(e => new { e.Channel, e.Client, e.At });
        builder.HasIndex(e => e.At);
    }
}
