using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace RecordsRequests.Features.Public;

internal sealed class UsedFormTicketConfiguration : IEntityTypeConfiguration<UsedFormTicket>
{
    public void Configure(EntityTypeBuilder<UsedFormTicket> builder)
    {
        builder.ToTable("used_form_tickets");
        builder.HasKey(t => t.Nonce);
        builder.Property(t => t.Nonce).HasMaxLength(64);
        builder.HasIndex(t => t.UsedAt);
    }
}
