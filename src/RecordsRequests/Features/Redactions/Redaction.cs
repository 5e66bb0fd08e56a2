using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RecordsRequests.Features.Audit;
using RecordsRequests.Features.Records;

namespace RecordsRequests.Features.Redactions;

public enum RedactionStatus
{
    /// <summary>Proposed by a detector; nobody has looked at it yet.</summary>
    Suggested,
    /// <summary>An officer confirmed it (or added it by hand); counsel has not approved it yet.</summary>
    Accepted,
    /// <summary>An officer or counsel decided the text is releasable.</summary>
    Rejected,
    /// <summary>Counsel approved it: it is part of the set a release applies.</summary>
    Approved,
}

/// <summary>
/// One span of a record's extracted text (<see cref="Releases.DocumentText"/>) to withhold, with the exemption that
/// justifies it. <see cref="Text"/> keeps the withheld characters so the release gate can prove they are gone.
/// </summary>
public sealed class Redaction : IAudited
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public Guid RequestId { get; private set; }
    public Guid RecordId { get; private set; }
    public Record Record { get; private set; } = null!;
    public int Start { get; private set; }
    public int End { get; private set; }
    public string Text { get; private set; } = "";
    public RedactionCategory Category { get; private set; }
    public string ExemptionCode { get; private set; } = "";
    public string Note { get; private set; } = "";
    public string ProposedBy { get; private set; } = "";
    public DateTimeOffset ProposedAt { get; private set; }
    public RedactionStatus Status { get; private set; }
    public string? ReviewedBy { get; private set; }
    public DateTimeOffset? ReviewedAt { get; private set; }

    private Redaction() { }

    public static Redaction Propose(Record record, string recordText, int start, int end, RedactionCategory category, string exemptionCode,
        string note, string proposedBy, DateTimeOffset now, RedactionStatus status)
    {
        if (start < 0 || end > recordText.Length || end <= start)
        {
            throw new DomainException("The selection is not inside the record's text.");
        }
        if (!ExemptionCatalog.IsKnown(exemptionCode))
        {
            throw new DomainException($"'{exemptionCode}' is not an exemption in the catalog.");
        }
        return new Redaction
        {
            RequestId = record.RequestId,
            RecordId = record.Id,
            Record = record,
            Start = start,
            End = end,
            Text = recordText[start..end],
            Category = category,
            ExemptionCode = exemptionCode,
            Note = note.Trim(),
            ProposedBy = proposedBy,
            ProposedAt = now.ToUniversalTime(),
            Status = status,
        };
    }

    public void Decide(RedactionStatus status, string reviewer, DateTimeOffset now)
    {
        if (status == RedactionStatus.Suggested)
        {
            throw new DomainException("A decision accepts, rejects or approves.");
        }
        Status = status;
        ReviewedBy = reviewer;
        ReviewedAt = now.ToUniversalTime();
    }

    /// <summary>Counsel's change of the ground cited; the set then needs counsel's approval again.</summary>
    public void ChangeExemption(string exemptionCode, string note)
    {
        if (!ExemptionCatalog.IsKnown(exemptionCode))
        {
            throw new DomainException($"'{exemptionCode}' is not an exemption in the catalog.");
        }
        ExemptionCode = exemptionCode;
        Note = note.Trim();
    }
}

internal sealed class RedactionConfiguration : IEntityTypeConfiguration<Redaction>
{
    public void Configure(EntityTypeBuilder<Redaction> builder)
    {
        builder.ToTable("redactions");
        builder.Property(r => r.Category).HasConversion<string>().HasMaxLength(40);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.ExemptionCode).HasMaxLength(40);
        builder.Property(r => r.Note).HasMaxLength(2000);
        builder.Property(r => r.ProposedBy).HasMaxLength(300);
        builder.Property(r => r.ReviewedBy).HasMaxLength(300);
        builder.HasIndex(r => new { r.RequestId, r.Status });
        builder.HasIndex(r => new { r.RecordId, r.Start, r.End }).IsUnique();
        builder.HasOne(r => r.Record).WithMany().HasForeignKey(r => r.RecordId).OnDelete(DeleteBehavior.Restrict);
    }
}

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
