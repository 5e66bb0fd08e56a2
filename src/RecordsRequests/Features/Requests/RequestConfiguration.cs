using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace RecordsRequests.Features.Requests;

internal sealed class RequestConfiguration : IEntityTypeConfiguration<Request>
{
    public void Configure(EntityTypeBuilder<Request> builder)
    {
        builder.Property(r => r.TrackingNumber).HasMaxLength(20);
        builder.HasIndex(r => r.TrackingNumber).IsUnique();
        builder.HasIndex(r => new { r.TrackingYear, r.TrackingSequence }).IsUnique();
        builder.Property(r => r.Channel).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.CitedLaw).HasConversion<string>().HasMaxLength(40);
        builder.Property(r => r.GoverningLaw).HasConversion<string>().HasMaxLength(40);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(30);
        builder.HasIndex(r => r.Status);
        builder.Property(r => r.Version).IsRowVersion();
        builder.HasOne(r => r.Requester).WithMany().HasForeignKey(r => r.RequesterId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(r => r.AssignedOfficerId).HasMaxLength(450);
    }
}
