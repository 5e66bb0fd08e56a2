using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RecordsRequests.Data;
using RecordsRequests.Features.Audit;
using RecordsRequests.Features.Documents;
using RecordsRequests.Features.Records;

namespace RecordsRequests.Features.Redactions;

public enum CounselDecision
{
    Approved,
    Returned,
}

/// <summary>
/// Counsel's decision on a request's redaction set. An approval records a fingerprint of the exact set approved:
/// a release checks it against the current set, so any later change needs counsel again.
/// </summary>
public sealed class CounselReview : IAudited
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public Guid RequestId { get; private set; }
    public CounselDecision Decision { get; private set; }
    public string Counsel { get; private set; } = "";
    public DateTimeOffset DecidedAt { get; private set; }
    public string Comment { get; private set; } = "";
    public string SetFingerprint { get; private set; } = "";

    private CounselReview() { }

    public static CounselReview Record(Guid requestId, CounselDecision decision, string counsel, string comment, string fingerprint, DateTimeOffset now) => new()
    {
        RequestId = requestId,
        Decision = decision,
        Counsel = counsel,
        Comment = comment.Trim(),
        SetFingerprint = fingerprint,
        DecidedAt = now.ToUniversalTime(),
    };
}

internal sealed class CounselReviewConfiguration : IEntityTypeConfiguration<CounselReview>
{
    public void Configure(EntityTypeBuilder<CounselReview> builder)
    {
        builder.ToTable("counsel_reviews");
        builder.Property(r => r.Decision).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.Counsel).HasMaxLength(300);
        builder.Property(r => r.Comment).HasMaxLength(4000);
        builder.Property(r => r.SetFingerprint).HasMaxLength(64);
        builder.HasIndex(r => new { r.RequestId, r.DecidedAt });
    }
}
