using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace RecordsRequests.Features.Accounts;

internal sealed class SessionPolicyConfiguration : IEntityTypeConfiguration<SessionPolicy>
{
    public void Configure(EntityTypeBuilder<SessionPolicy> builder)
    {
        builder.ToTable("session_policy", t => t.HasCheckConstraint("ck_session_policy_single_row", "id = 1"));
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.ChangedBy).HasMaxLength(320);
    }
}
