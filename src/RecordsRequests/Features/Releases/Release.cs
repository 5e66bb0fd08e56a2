using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RecordsRequests.Features.Audit;

namespace RecordsRequests.Features.Releases;

/// <summary>
/// A package of produced files sent to a requester. The requester's link carries a random token; only its SHA-256 is
/// stored, so a database copy cannot be turned into working links.
/// </summary>
public sealed class Release : IAudited
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public Guid RequestId { get; private set; }
    public string TokenHash { get; private set; } = "";
    public string SetFingerprint { get; private set; } = "";
    public DateTimeOffset ReleasedAt { get; private set; }
    public string ReleasedBy { get; private set; } = "";
    public List<ReleaseFile> Files { get; private set; } = [];

    private Release() { }

    public static Release Create(Guid requestId, string tokenHash, string fingerprint, string releasedBy, DateTimeOffset now) => new()
    {
        RequestId = requestId,
        TokenHash = tokenHash,
        SetFingerprint = fingerprint,
        ReleasedBy = releasedBy,
        ReleasedAt = now.ToUniversalTime(),
    };
}

public enum ReleaseFileKind
{
    Record,
    /// <summary>
    /// An unredacted record in its own format beside its PDF (a spreadsheet stays a spreadsheet: 950 CMR 32.04(5)(d),
    /// 32.07(1)(c)-(d)), with its hidden content removed (<see cref="NativeCopy"/>).
    /// </summary>
    NativeCopy,
    ExemptionLogPdf,
    ExemptionLogCsv,
    ResponseLetter,
}

/// <summary>A produced file (never an original) in the content store.</summary>
public sealed class ReleaseFile
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public Guid ReleaseId { get; private set; }
    public string FileName { get; private set; } = "";
    public string ContentType { get; private set; } = "";
    public string Sha256 { get; private set; } = "";
    public long SizeBytes { get; private set; }
    public ReleaseFileKind Kind { get; private set; }

    private ReleaseFile() { }

    public static ReleaseFile Create(string fileName, string contentType, string sha256, long size, ReleaseFileKind kind) => new()
    {
        FileName = fileName,
        ContentType = contentType,
        Sha256 = sha256,
        SizeBytes = size,
        Kind = kind,
    };
}

internal sealed class ReleaseConfiguration : IEntityTypeConfiguration<Release>
{
    public void Configure(EntityTypeBuilder<Release> builder)
    {
        builder.ToTable("releases");
        builder.Property(r => r.TokenHash).HasMaxLength(64);
        builder.HasIndex(r => r.TokenHash).IsUnique();
        builder.Property(r => r.SetFingerprint).HasMaxLength(64);
        builder.Property(r => r.ReleasedBy).HasMaxLength(300);
        builder.HasIndex(r => r.RequestId);
        builder.HasMany(r => r.Files).WithOne().HasForeignKey(f => f.ReleaseId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ReleaseFileConfiguration : IEntityTypeConfiguration<ReleaseFile>
{
    public void Configure(EntityTypeBuilder<ReleaseFile> builder)
    {
        builder.ToTable("release_files");
        builder.Property(f => f.FileName).HasMaxLength(200);
        builder.Property(f => f.ContentType).HasMaxLength(100);
        builder.Property(f => f.Sha256).HasMaxLength(64);
        builder.Property(f => f.Kind).HasConversion<string>().HasMaxLength(30);
    }
}
