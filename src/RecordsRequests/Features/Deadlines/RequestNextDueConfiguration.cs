using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace RecordsRequests.Features.Deadlines;

internal sealed class RequestNextDueConfiguration : IEntityTypeConfiguration<RequestNextDue>
{
    public void Configure(EntityTypeBuilder<RequestNextDue> builder)
    {
        builder.ToTable("request_next_due");
        builder.HasKey(n => n.RequestId);
        builder.Property(n => n.Kind).HasConversion<string>().HasMaxLength(30);
        builder.Property(n => n.Status).HasConversion<string>().HasMaxLength(30);
        builder.Property(n => n.CitedLaw).HasConversion<string>().HasMaxLength(40);
        builder.Property(n => n.AssignedOfficerId).HasMaxLength(450);
        // The queue's order (next date, no date last, then oldest first; the id makes pages stable) within open or
        // not open: the first page of the open queue, overdue or due soon is a range of this index cut after a page.
        builder.HasIndex(n => new { n.IsOpen, n.DueDate, n.ReceivedAt, n.RequestId });
        builder.HasOne<Requests.Request>().WithOne().HasForeignKey<RequestNextDue>(n => n.RequestId).OnDelete(DeleteBehavior.Cascade);
    }
}
