using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RecordsRequests.Features.Requests;

namespace RecordsRequests.Features.Mail;

internal sealed class ReplyTokenConfiguration : IEntityTypeConfiguration<ReplyToken>
{
    public void Configure(EntityTypeBuilder<ReplyToken> builder)
    {
        builder.ToTable("reply_tokens");
        builder.HasKey(t => t.RequestId);
        builder.Property(t => t.Token).HasMaxLength(40);
        builder.HasIndex(t => t.Token).IsUnique();
        builder.HasOne<Request>().WithOne().HasForeignKey<ReplyToken>(t => t.RequestId).OnDelete(DeleteBehavior.Cascade);
    }
}
