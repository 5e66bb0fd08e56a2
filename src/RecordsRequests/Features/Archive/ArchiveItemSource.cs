namespace RecordsRequests.Features.Archive;

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
