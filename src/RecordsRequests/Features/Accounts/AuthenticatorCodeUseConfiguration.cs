using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace RecordsRequests.Features.Accounts;

internal sealed class AuthenticatorCodeUseConfiguration : IEntityTypeConfiguration<AuthenticatorCodeUse>
{
    public void Configure(EntityTypeBuilder<AuthenticatorCodeUse> builder)
    {
        builder.ToTable("authenticator_code_uses");
        builder.HasKey(u => u.UserId);
        builder.Property(u => u.UserId).HasMaxLength(450);
        builder.HasOne<StaffUser>().WithMany().HasForeignKey(u => u.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
