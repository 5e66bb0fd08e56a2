using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace RecordsRequests.Features.Deadlines;

internal sealed class RegimeSettingConfiguration : IEntityTypeConfiguration<RegimeSetting>
{
    public void Configure(EntityTypeBuilder<RegimeSetting> builder)
    {
        builder.ToTable("regime_settings");
        builder.HasKey(r => r.Name);
        builder.Property(r => r.Name).HasMaxLength(40);
        builder.Property(r => r.Description).HasMaxLength(200);
        builder.Property(r => r.Unit).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.Citation).HasMaxLength(300);
        builder.HasData(StatutoryRegime.BuiltIn.Select(RegimeSetting.From));
    }
}
