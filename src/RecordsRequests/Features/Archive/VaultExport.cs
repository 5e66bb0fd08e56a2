using System.Xml;
using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MimeKit;
using RecordsRequests.Data;

namespace RecordsRequests.Features.Archive;

/// <summary>One message as a Google Vault export's metadata file describes it.</summary>
/// <param name="DocumentId">Vault's id of the exported document (its DocID).</param>
/// <param name="Account">The Workspace account that owned the message: the custodian.</param>
/// <param name="Labels">Its Gmail labels as Vault recorded them (system labels keep Vault's "^" prefix, e.g. ^INBOX).</param>
public sealed record VaultDocument(string DocumentId, string? MessageId, string? Account, IReadOnlyList<string> Labels, string? GmailMessageId);

/// <summary>
/// A Google Vault export of Gmail in mbox format: one or more <c>.mbox</c> files and the export's
/// <c>export_name-metadata.xml</c>, which holds "message metadata as it exists on Google servers" to be connected with
/// the mbox's messages (https://support.google.com/vault/answer/6099459, Gmail exports: Export contents). The file
/// is EDRM-style XML: <c>Document</c> elements with a <c>DocID</c> and <c>Tag</c> elements named by <c>TagName</c>
/// with their <c>TagValue</c> (Labels, the RFC 822 Message-ID, the Gmail message id, the owning account). Messages are
/// connected by Message-ID, the one value both files hold.
/// </summary>
public static class VaultExport
{
    /// <summary>The export's metadata file in a folder, if the folder is a Vault export.</summary>
    public static string? MetadataFile(string folder) => Directory.Exists(folder)
        ? Directory.EnumerateFiles(folder, "*-metadata.xml", SearchOption.AllDirectories).Order(StringComparer.Ordinal).FirstOrDefault()
        : null;

    public static IReadOnlyList<VaultDocument> Read(string metadataFile)
    {
        XDocument xml;
        try
        {
            // No DTDs: the file is data from outside, and XML entity expansion is a known way to exhaust memory.
            using var reader = XmlReader.Create(metadataFile, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
            xml = XDocument.Load(reader);
        }
        catch (XmlException e)
        {
            throw new InvalidDataException($"{Path.GetFileName(metadataFile)} is not readable XML ({e.Message}); export the metadata from Vault again.", e);
        }
        var documents = new List<VaultDocument>();
        foreach (var document in xml.Descendants().Where(e => e.Name.LocalName == "Document"))
        {
            var tags = document.Descendants().Where(e => e.Name.LocalName == "Tag")
                .Select(t => (Name: ((string?)t.Attribute("TagName") ?? "").TrimStart('#'), Value: (string?)t.Attribute("TagValue") ?? ""))
                .Where(t => t.Value.Length > 0)
                .GroupBy(t => t.Name, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.First().Value, StringComparer.OrdinalIgnoreCase);
            string? Tag(params string[] names) => names.Select(n => tags.GetValueOrDefault(n)).FirstOrDefault(v => v is not null);
            var labels = Tag("Labels")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
            documents.Add(new VaultDocument((string?)document.Attribute("DocID") ?? "", ContentExtractor.NormalizeMessageId(Tag("Rfc822MessageId", "MessageID", "Message-ID")),
                Tag("Account", "Custodian"), labels, Tag("GmailMessageId")));
        }
        return documents;
    }
}

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

internal sealed class VaultMessageConfiguration : IEntityTypeConfiguration<VaultMessage>
{
    public void Configure(EntityTypeBuilder<VaultMessage> builder)
    {
        builder.ToTable("archive_vault_messages");
        builder.Property(v => v.Id).UseIdentityAlwaysColumn();
        builder.HasOne<ArchiveItem>().WithMany().HasForeignKey(v => v.ItemId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(v => new { v.ItemId, v.DocumentId }).IsUnique();
        builder.Property(v => v.DocumentId).HasMaxLength(200);
        builder.Property(v => v.Account).HasMaxLength(320);
        builder.Property(v => v.Labels).HasMaxLength(4000);
        builder.Property(v => v.GmailMessageId).HasMaxLength(100);
        builder.Property(v => v.ExportFile).HasMaxLength(2000);
    }
}

/// <summary>
/// Imports a Google Vault mbox export: each mbox through the archive's importer, with the Vault account that owned its
/// messages as custodian (the account the metadata names for most of them; the given custodian when it names none),
/// then keeps each message's Vault metadata beside its archive item. Re-running it adds nothing twice.
/// </summary>
public sealed class VaultImporter(ArchiveImporter importer, AppDbContext db, TimeProvider clock)
{
    public async Task<ImportReport> ImportAsync(string folder, string fallbackCustodian, TextWriter? progress, CancellationToken cancellationToken)
    {
        var metadataFile = VaultExport.MetadataFile(folder) ?? throw new FileNotFoundException($"{folder} holds no Vault metadata file (*-metadata.xml).");
        var documents = VaultExport.Read(metadataFile);
        var byMessageId = documents.Where(d => d.MessageId is not null).ToLookup(d => d.MessageId!);
        var mboxes = ArchiveImporter.SourceFiles(Path.GetFullPath(folder)).Where(f => !f.Equals(metadataFile, StringComparison.Ordinal) && ArchiveImporter.IsMbox(f)).ToList();
        var reports = new List<ImportReport>();
        foreach (var mbox in mboxes)
        {
            var messageIds = await MessageIdsAsync(mbox, cancellationToken);
            var custodian = messageIds.SelectMany(id => byMessageId[id]).Select(d => d.Account).OfType<string>()
                .GroupBy(a => a, StringComparer.OrdinalIgnoreCase).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstOrDefault() ?? fallbackCustodian;
            reports.Add(await importer.ImportAsync(mbox, custodian, progress, cancellationToken));
            await KeepMetadataAsync(mbox, custodian, messageIds, byMessageId, metadataFile, cancellationToken);
        }
        return new ImportReport(reports.Sum(r => r.NewItems), reports.Sum(r => r.Duplicates), reports.Sum(r => r.AlreadyImported),
            [.. reports.SelectMany(r => r.Failures)], TimeSpan.FromTicks(reports.Sum(r => r.Elapsed.Ticks)), reports.Sum(r => r.Bytes),
            // One mbox after another: each stage's work is the sum over the mboxes.
            [.. reports.SelectMany(r => r.Stages).GroupBy(s => s.Name).Select(g => new ImportStage(g.Key, g.Max(s => s.Workers),
                TimeSpan.FromTicks(g.Sum(s => s.Busy.Ticks)), g.Any(s => s.Cpu is null) ? null : TimeSpan.FromTicks(g.Sum(s => s.Cpu!.Value.Ticks))))]);
    }

    private static async Task<List<string>> MessageIdsAsync(string mbox, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        await using var stream = File.OpenRead(mbox);
        var parser = new MimeParser(stream, MimeFormat.Mbox);
        while (!parser.IsEndOfStream)
        {
            try
            {
                if (ContentExtractor.NormalizeMessageId((await parser.ParseMessageAsync(cancellationToken)).MessageId) is { } id)
                {
                    ids.Add(id);
                }
            }
            catch (FormatException)
            {
                break; // The importer reports the damaged part of the mbox.
            }
        }
        return ids;
    }

    private async Task KeepMetadataAsync(string mbox, string custodian, List<string> messageIds, ILookup<string, VaultDocument> byMessageId, string metadataFile,
        CancellationToken cancellationToken)
    {
        var items = await db.Set<ArchiveItemSource>().AsNoTracking().Where(s => s.SourceFile == mbox)
            .Join(db.Set<ArchiveItem>(), s => s.ItemId, i => i.Id, (s, i) => new { i.Id, i.MessageId }).ToListAsync(cancellationToken);
        var itemIds = items.Select(i => i.Id).ToList();
        var known = (await db.Set<VaultMessage>().AsNoTracking().Where(v => itemIds.Contains(v.ItemId)).Select(v => new { v.ItemId, v.DocumentId }).ToListAsync(cancellationToken))
            .Select(v => (v.ItemId, v.DocumentId)).ToHashSet();
        var now = clock.GetUtcNow();
        foreach (var item in items.Where(i => i.MessageId is not null && messageIds.Contains(i.MessageId)).DistinctBy(i => i.Id))
        {
            foreach (var document in byMessageId[item.MessageId!])
            {
                if (known.Add((item.Id, document.DocumentId)))
                {
                    db.Add(VaultMessage.Create(item.Id, document, document.Account ?? custodian, metadataFile, now));
                }
            }
        }
        await db.SaveChangesAsync(cancellationToken);
    }
}
