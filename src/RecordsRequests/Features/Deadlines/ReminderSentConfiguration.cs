using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace RecordsRequests.Features.Deadlines;

internal sealed class ReminderSentConfiguration : IEntityTypeConfiguration<ReminderSent>
{
    public void Configure(EntityTypeBuilder<ReminderSent> builder)
    {
        builder.ToTable("reminders_sent");
        builder.Property(r => r.Clock).HasConversion<string>().HasMaxLength(30);
        builder.Property(r => r.Kind).HasConversion<string>().HasMaxLength(30);
        builder.Property(r => r.Recipients).HasMaxLength(4000);
        builder.HasIndex(r => new { r.RequestId, r.Clock, r.Kind, r.DueDate }).IsUnique();
        builder.HasOne<Requests.Request>().WithMany().HasForeignKey(r => r.RequestId).OnDelete(DeleteBehavior.Cascade);
    }
}
