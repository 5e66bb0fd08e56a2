namespace RecordsRequests.Features.Archive;

/// <summary>
/// What a Google Vault export said about one archived message: the account it came from, its labels and Vault's ids.
/// One row per message and Vault document (the same message exported from two accounts has two).
/// </summary>
public sealed class VaultMessage
{
    public long Id { get; private set; }
    public Guid ItemId { get; private set; }
    public string DocumentId { get; private set; } = "";
    public string Account { get; private set; } = "";

    /// <summary>Comma-separated, as Vault lists them.</summary>
    public string Labels { get; private set; } = "";
    public string? GmailMessageId { get; private set; }

    /// <summary>The metadata file it was read from.</summary>
    public string ExportFile { get; private set; } = "";
    public DateTimeOffset ImportedAt { get; private set; }

    private VaultMessage() { }

    internal static VaultMessage Create(Guid itemId, VaultDocument document, string account, string exportFile, DateTimeOffset now) => new()
    {
        ItemId = itemId,
        DocumentId = document.DocumentId,
        Account = account,
        Labels = string.Join(", ", document.Labels),
        GmailMessageId = document.GmailMessageId,
        ExportFile = exportFile,
        ImportedAt = now.ToUniversalTime(),
    };
}
