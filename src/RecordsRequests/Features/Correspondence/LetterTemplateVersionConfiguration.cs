using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace RecordsRequests.Features.Correspondence;

internal sealed class LetterTemplateVersionConfiguration : IEntityTypeConfiguration<LetterTemplateVersion>
{
    public void Configure(EntityTypeBuilder<LetterTemplateVersion> builder)
    {
        builder.ToTable("letter_template_versions");
        builder.Property(t => t.Kind).HasConversion<string>().HasMaxLength(40);
        builder.HasIndex(t => new { t.Kind, t.Version }).IsUnique();
        builder.Property(t => t.Subject).HasMaxLength(300);
        builder.Property(t => t.Body).HasMaxLength(20000);
        builder.Property(t => t.Note).HasMaxLength(1000);
        builder.Property(t => t.SavedBy).HasMaxLength(300);
    }
}
