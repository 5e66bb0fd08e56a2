using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RecordsRequests.Features.Audit;
using RecordsRequests.Features.Requests;

namespace RecordsRequests.Features.Status;

/// <summary>
/// A requester's secret link to the status page of one request. A request may have several (the one shown after the
/// web form, the one in the acknowledgement e-mail); each holds only the SHA-256 of its token.
/// </summary>
public sealed class StatusLink : IAudited
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public Guid RequestId { get; private set; }
    public string TokenHash { get; private set; } = "";

    /// <summary>Where the link was handed out (e.g. "web-form", "acknowledgement"), so a leaked one can be traced.</summary>
    public string IssuedFor { get; private set; } = "";
    public DateTimeOffset IssuedAt { get; private set; }

    private StatusLink() { }

    internal static StatusLink Create(Guid requestId, string tokenHash, string issuedFor, DateTimeOffset now) => new()
    {
        RequestId = requestId,
        TokenHash = tokenHash,
        IssuedFor = issuedFor,
        IssuedAt = now.ToUniversalTime(),
    };
}

internal sealed class StatusLinkConfiguration : IEntityTypeConfiguration<StatusLink>
{
    public void Configure(EntityTypeBuilder<StatusLink> builder)
    {
        builder.ToTable("status_links");
        builder.Property(l => l.TokenHash).HasMaxLength(64);
        builder.HasIndex(l => l.TokenHash).IsUnique();
        builder.Property(l => l.IssuedFor).HasMaxLength(40);
        builder.HasIndex(l => l.RequestId);
        builder.HasOne<Request>().WithMany().HasForeignKey(l => l.RequestId).OnDelete(DeleteBehavior.Cascade);
    }
}
