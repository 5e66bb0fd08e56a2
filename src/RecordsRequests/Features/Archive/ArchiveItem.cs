using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace RecordsRequests.Features.Archive;

public enum ArchiveItemKind
{
    Message,
    Document,
}

/// <summary>
/// One distinct archived message or document. Its <see cref="Identity"/> (see <see cref="ArchiveIdentity"/>) is the same
/// for every copy of a message, whichever export or collection brought it, so the same message from two mailboxes or
/// two routes is one item with an <see cref="ArchiveItemSource"/> row for each (custodian, place, and the bytes it had).
/// <see cref="Sha256"/> names the original kept for it: the first copy that came.
/// Metadata here is what the dashboard and fee estimate need without opening the original; the search index is
/// rebuilt from the originals in the content store and never holds anything that is not also here or there.
/// </summary>
public sealed class ArchiveItem
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public string Sha256 { get; private set; } = "";

    /// <summary>What every copy of this message shares, hashed (<see cref="ArchiveIdentity"/>); unique in the archive.</summary>
    public string Identity { get; private set; } = "";
    public ArchiveItemKind Kind { get; private set; }
    public long SizeBytes { get; private set; }

    /// <summary>The file name given to the item when it becomes a record: the document's name, or the subject as .eml.</summary>
    public string FileName { get; private set; } = "";
    public string ContentType { get; private set; } = "";
    public string? MessageId { get; private set; }
    public string Subject { get; private set; } = "";
    public string Sender { get; private set; } = "";
    public DateTimeOffset? SentAt { get; private set; }
    public int AttachmentCount { get; private set; }
    public int EstimatedPages { get; private set; }
    public DateTimeOffset ImportedAt { get; private set; }

    public List<ArchiveItemSource> Sources { get; private set; } = [];

    private ArchiveItem() { }

    internal static ArchiveItem Create(string sha256, string identity, ArchiveItemKind kind, long sizeBytes, string fileName, string contentType,
        ArchiveContent content, DateTimeOffset importedAt) => new()
        {
            Sha256 = sha256,
            Identity = identity,
            Kind = kind,
            SizeBytes = sizeBytes,
            FileName = Truncate(fileName, 500),
            ContentType = contentType,
            MessageId = content.MessageId is null ? null : Truncate(content.MessageId, 998),
            Subject = Truncate(content.Subject, 1000),
            Sender = Truncate(content.From, 500),
            SentAt = content.SentAt?.ToUniversalTime(),
            AttachmentCount = content.Attachments.Count,
            EstimatedPages = content.EstimatedPages,
            ImportedAt = importedAt.ToUniversalTime(),
        };

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}

/// <summary>
/// Where an item was found: the custodian whose mailbox or files held it, the source file and the byte offset in it
/// (0 for a file that holds one item). This is the provenance that makes a search defensible, and the key that makes
/// an import idempotent: a (source file, offset) pair already recorded is skipped when an import is repeated or resumed.
/// </summary>
public sealed class ArchiveItemSource
{
    /// <summary>Increases with every recorded source; the index remembers the highest one it reflects (see ArchiveIndex).</summary>
    public long Id { get; private set; }
    public Guid ItemId { get; private set; }
    public string Custodian { get; private set; } = "";
    public string SourceFile { get; private set; } = "";
    public long Offset { get; private set; }

    /// <summary>The SHA-256 of the bytes this source held (in the content store): the item's own original, or another
    /// export's copy of the same message with its own headers.</summary>
    public string OriginalSha256 { get; private set; } = "";

    /// <summary>How the source came, in words, when its file alone does not say (a mailbox collection for a request); null for an export.</summary>
    public string? Origin { get; private set; }
    public DateTimeOffset ImportedAt { get; private set; }

    private ArchiveItemSource() { }

    internal static ArchiveItemSource Create(Guid itemId, string custodian, string sourceFile, long offset, string originalSha256, string? origin,
        DateTimeOffset importedAt) => new()
    {
        ItemId = itemId,
        Custodian = custodian,
        SourceFile = sourceFile,
        Offset = offset,
        OriginalSha256 = originalSha256,
        Origin = origin is null ? null : origin.Length <= 500 ? origin : origin[..500],
        ImportedAt = importedAt.ToUniversalTime(),
    };
}

internal sealed class ArchiveItemConfiguration : IEntityTypeConfiguration<ArchiveItem>
{
    public void Configure(EntityTypeBuilder<ArchiveItem> builder)
    {
        builder.ToTable("archive_items");
        builder.Property(i => i.Sha256).HasMaxLength(64);
        builder.HasIndex(i => i.Sha256).IsUnique();
        builder.Property(i => i.Identity).HasMaxLength(64);
        builder.HasIndex(i => i.Identity).IsUnique();
        builder.Property(i => i.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(i => i.FileName).HasMaxLength(500);
        builder.Property(i => i.ContentType).HasMaxLength(200);
        builder.Property(i => i.MessageId).HasMaxLength(998);
        builder.HasIndex(i => i.MessageId);
        builder.Property(i => i.Subject).HasMaxLength(1000);
        builder.Property(i => i.Sender).HasMaxLength(500);
        builder.HasMany(i => i.Sources).WithOne().HasForeignKey(s => s.ItemId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ArchiveItemSourceConfiguration : IEntityTypeConfiguration<ArchiveItemSource>
{
    public void Configure(EntityTypeBuilder<ArchiveItemSource> builder)
    {
        builder.ToTable("archive_item_sources");
        builder.Property(s => s.Id).UseIdentityAlwaysColumn();
        builder.Property(s => s.Custodian).HasMaxLength(200);
        builder.Property(s => s.SourceFile).HasMaxLength(2000);
        builder.Property(s => s.OriginalSha256).HasMaxLength(64);
        builder.Property(s => s.Origin).HasMaxLength(500);
        builder.HasIndex(s => new { s.SourceFile, s.Offset }).IsUnique();
        builder.HasIndex(s => new { s.ItemId, s.Custodian });
        builder.HasIndex(s => s.Custodian);
    }
}
