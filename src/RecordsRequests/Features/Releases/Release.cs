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

    /// <summary>The record's place in the package (1, 2 …) for a record's PDF or native copy; null for the log and the letter.</summary>
    public int? DocumentNumber { get; private set; }
    public string? FirstBates { get; private set; }
    public string? LastBates { get; private set; }
    public int? PageCount { get; private set; }

    /// <summary>How many redactions were burned into this file (its PDF); null for files that are not a record's pages.</summary>
    public int? RedactionCount { get; private set; }

    private ReleaseFile() { }

    public static ReleaseFile Create(string fileName, string contentType, string sha256, long size, ReleaseFileKind kind, ReleasedDocument? document = null) => new()
    {
        FileName = fileName,
        ContentType = contentType,
        Sha256 = sha256,
        SizeBytes = size,
        Kind = kind,
        DocumentNumber = document?.Number,
        FirstBates = document?.FirstBates,
        LastBates = document?.LastBates,
        PageCount = document?.PageCount,
        RedactionCount = document?.RedactionCount,
    };
}

/// <summary>Which record of the package a file carries, by its number and Bates range: never by the original's name.</summary>
public sealed record ReleasedDocument(int Number, string FirstBates, string LastBates, int PageCount, int RedactionCount);

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
        builder.Property(f => f.FirstBates).HasMaxLength(60);
        builder.Property(f => f.LastBates).HasMaxLength(60);
    }
}
