namespace RecordsRequests.Features.Archive;

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
