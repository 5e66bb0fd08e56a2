using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RecordsRequests.Features.Audit;
using RecordsRequests.Features.Requests;

namespace RecordsRequests.Features.Records;

public enum RecordSource
{
    Upload,
    EmailAttachment,
    ArchiveSearch,
}

public enum RecordDisposition
{
    /// <summary>Found by a search or attached, not yet judged responsive.</summary>
    Candidate,
    Responsive,
    NotResponsive,
}

/// <summary>A document considered for release in answer to a request. Content is stored by its SHA-256.</summary>
public sealed class Record : IAudited
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public Guid RequestId { get; private set; }
    public Request Request { get; private set; } = null!;
    public string FileName { get; private set; } = "";
    public string ContentType { get; private set; } = "application/octet-stream";
    public long SizeBytes { get; private set; }
    public string Sha256 { get; private set; } = "";
    public RecordSource Source { get; private set; }
    public RecordDisposition Disposition { get; private set; }
    public DateTimeOffset AddedAt { get; private set; }
    public string AddedBy { get; private set; } = "";

    private Record() { }

    public static Record Attach(Guid requestId, string fileName, string contentType, long sizeBytes, string sha256, RecordSource source,
        string addedBy, DateTimeOffset addedAt) => new()
        {
            RequestId = requestId,
            FileName = fileName,
            ContentType = contentType,
            SizeBytes = sizeBytes,
            Sha256 = sha256,
            Source = source,
            Disposition = RecordDisposition.Candidate,
            AddedBy = addedBy,
            AddedAt = addedAt.ToUniversalTime(),
        };

    public void Judge(RecordDisposition disposition) => Disposition = disposition;
}

internal sealed class RecordConfiguration : IEntityTypeConfiguration<Record>
{
    public void Configure(EntityTypeBuilder<Record> builder)
    {
        builder.Property(r => r.FileName).HasMaxLength(500);
        builder.Property(r => r.ContentType).HasMaxLength(200);
        builder.Property(r => r.Sha256).HasMaxLength(64);
        builder.Property(r => r.Source).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.Disposition).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.AddedBy).HasMaxLength(300);
        builder.HasIndex(r => r.RequestId);
        builder.HasOne(r => r.Request).WithMany().HasForeignKey(r => r.RequestId).OnDelete(DeleteBehavior.Restrict);
    }
}
