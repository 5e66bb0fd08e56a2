using System.Xml;
using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MimeKit;
using RecordsRequests.Data;

namespace RecordsRequests.Features.Archive;

/// <summary>One message as a Google Vault export's metadata file describes it.</summary>
/// <param name="DocumentId">Vault's id of the exported document (its DocID).</param>
/// <param name="Account">The Workspace account that owned the message: the custodian (null when the file does not say).</param>
/// <param name="Labels">Its Gmail labels as Vault recorded them (system labels keep Vault's "^" prefix, e.g. ^INBOX); none when the file has no Labels tag.</param>
/// <param name="ExternalFile">The name Vault gave the message in the export (the ExternalFile's FileName), which is also
/// the first word after "From " on the message's separator line in the mbox: the link between the two files.</param>
public sealed record VaultDocument(string DocumentId, string? MessageId, string? Account, IReadOnlyList<string> Labels, string? GmailMessageId,
    string? ExternalFile = null);

/// <summary>
/// A Google Vault export of Gmail in mbox format: one or more <c>.mbox</c> files and the export's
/// <c>export_name-metadata.xml</c>, which holds "message metadata as it exists on Google servers" to be connected with
/// the mbox's messages (https://support.google.com/vault/answer/6099459, Gmail exports: Export contents).
/// <para>
/// The layout followed here is the one a public reader of real Vault exports parses (Nuix's "Associate Google Vault
/// Data" scripts, https://github.com/Nuix/Associate-Google-Vault-Data, GoogleXmlObjects.rb and GoogleMboxXref.rb), which
/// is EDRM XML: <c>Root</c> (DataInterchangeType, Description) / <c>Batch</c> (name) / <c>Documents</c> /
/// <c>Document</c> with its id (<c>DocId</c> there, <c>DocID</c> in the EDRM XML 1.2 schema: both are read) /
/// <c>Tags</c> / <c>Tag</c> (TagName, TagDataType, TagValue; the e-mail fields named with a "#", such as #From and
/// #Subject) and <c>Files</c> / <c>File</c> / <c>ExternalFile</c> (FileName, FileSize, Hash). A message is connected to
/// its Document by the ExternalFile's FileName, which Vault writes on the message's "From " line in the mbox
/// ("From 1406052392473-….mbox …"); failing that, by the RFC 822 Message-ID when the file carries one (Rfc822MessageId,
/// as in Vault's CSV metadata). Tolerated, because that reader meets them in real files: no Labels tag (older exports
/// lack it), no account, no Message-ID. A file that is not XML, or has no Root with Documents, is refused with the reason.
/// </para>
/// </summary>
public static class VaultExport
{
    /// <summary>The export's metadata file in a folder, if the folder is a Vault export.</summary>
    public static string? MetadataFile(string folder) => Directory.Exists(folder)
        ? Directory.EnumerateFiles(folder, "*-metadata.xml", SearchOption.AllDirectories).Order(StringComparer.Ordinal).FirstOrDefault()
        : null;

    public static IReadOnlyList<VaultDocument> Read(string metadataFile)
    {
        var name = Path.GetFileName(metadataFile);
        XDocument xml;
        try
        {
            // No DTDs: the file is data from outside, and XML entity expansion is a known way to exhaust memory.
            using var reader = XmlReader.Create(metadataFile, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
            xml = XDocument.Load(reader);
        }
        catch (XmlException e)
        {
            throw new InvalidDataException($"{name} is not readable XML ({e.Message}); export the metadata from Vault again.", e);
        }
        if (xml.Root is not { } root || root.Name.LocalName != "Root"
            || !root.Elements().Any(e => e.Name.LocalName == "Batch"))
        {
            throw new InvalidDataException(
                $"{name} is not a Google Vault metadata file: Vault's metadata is EDRM XML with a Root element holding Batch, Documents and Document entries, "
                + $"and this file's top element is <{xml.Root?.Name.LocalName}>. Give the export's own export_name-metadata.xml, or import the mbox files without it.");
        }
        var documents = new List<VaultDocument>();
        foreach (var document in root.Elements().Where(e => e.Name.LocalName == "Batch").Elements().Where(e => e.Name.LocalName == "Documents")
            .Elements().Where(e => e.Name.LocalName == "Document"))
        {
            var tags = document.Elements().Where(e => e.Name.LocalName == "Tags").Elements().Where(e => e.Name.LocalName == "Tag")
                .Select(t => (Name: (Attribute(t, "TagName") ?? "").Trim().TrimStart('#'), Value: Attribute(t, "TagValue") ?? ""))
                .Where(t => t.Value.Length > 0)
                .GroupBy(t => t.Name, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.First().Value, StringComparer.OrdinalIgnoreCase);
            string? Tag(params string[] names) => names.Select(n => tags.GetValueOrDefault(n)).FirstOrDefault(v => v is not null);
            var labels = Tag("Labels")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
            var externalFile = document.Descendants().Where(e => e.Name.LocalName == "ExternalFile").Select(e => Attribute(e, "FileName"))
                .FirstOrDefault(f => !string.IsNullOrWhiteSpace(f))?.Trim();
            documents.Add(new VaultDocument(Attribute(document, "DocID") ?? externalFile ?? "",
                ContentExtractor.NormalizeMessageId(Tag("Rfc822MessageId", "MessageID", "Message-ID")),
                Tag("Account", "Custodian"), labels, Tag("GmailMessageId"), externalFile));
        }
        if (documents.Count == 0)
        {
            throw new InvalidDataException($"{name} has Vault's layout but describes no messages (no Batch/Documents/Document entries): the export may have been cut short; export it again.");
        }
        return documents;
    }

    /// <summary>An attribute by name whatever its case (DocID in the EDRM schema, DocId in exports read in the wild).</summary>
    private static string? Attribute(XElement element, string name) =>
        element.Attributes().FirstOrDefault(a => string.Equals(a.Name.LocalName, name, StringComparison.OrdinalIgnoreCase))?.Value;

    /// <summary>
    /// The first word of each message's "From " separator line, by the line's byte offset (the offset the archive
    /// records for the message): where Vault writes the message's ExternalFile name. The messages are cut as the
    /// importer cuts them (<see cref="MboxReader"/>), not parsed.
    /// </summary>
    public static Dictionary<long, string> SeparatorWords(string mbox)
    {
        var words = new Dictionary<long, string>();
        using var lines = new FileStream(mbox, FileMode.Open, FileAccess.Read, FileShare.Read, 4096);
        var start = new byte[512];
        foreach (var message in MboxReader.Read(mbox))
        {
            lines.Position = message.Offset;
            var line = start.AsSpan(0, lines.ReadAtLeast(start, start.Length, throwOnEndOfStream: false));
            if (line.IndexOf((byte)'\n') is var end and >= 0)
            {
                line = line[..end];
            }
            var text = System.Text.Encoding.Latin1.GetString(line).TrimEnd('\r');
            if (text.Length > 5 && text[5..].Split(' ', 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() is { } word)
            {
                words[message.Offset] = word;
            }
        }
        return words;
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
    /// <param name="fallbackCustodian">The custodian of an mbox whose messages the metadata names no account for; null to refuse such an export.</param>
    public async Task<ImportReport> ImportAsync(string folder, string? fallbackCustodian, TextWriter? progress, CancellationToken cancellationToken)
    {
        var metadataFile = VaultExport.MetadataFile(folder) ?? throw new FileNotFoundException($"{folder} holds no Vault metadata file (*-metadata.xml).");
        var documents = VaultExport.Read(metadataFile);
        var links = new Links(documents);
        var mboxes = ArchiveImporter.SourceFiles(Path.GetFullPath(folder)).Where(f => !f.Equals(metadataFile, StringComparison.Ordinal) && ArchiveImporter.IsMbox(f)).ToList();
        var reports = new List<ImportReport>();
        foreach (var mbox in mboxes)
        {
            var separators = VaultExport.SeparatorWords(mbox);
            // Per message, the documents that describe it: by the separator line, or else by Message-ID.
            var described = separators.Values.Select(word => links.ByExternalFile(word).ToList()).Where(d => d.Count > 0).ToList();
            if (described.Count == 0)
            {
                // An export whose separator lines do not carry Vault's file names: the Message-IDs connect the two files.
                described = [.. (await MessageIdsAsync(mbox, cancellationToken)).Select(id => links.ByMessageId(id).ToList())];
            }
            // The account most of its messages belong to; a message that the metadata gives to several accounts (the
            // same Message-ID in two mailboxes, linked by Message-ID) says nothing about which mailbox this mbox is.
            var custodian = described.Select(d => d.Select(v => v.Account).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList())
                .Where(accounts => accounts.Count == 1).Select(accounts => accounts[0])
                .GroupBy(a => a, StringComparer.OrdinalIgnoreCase).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstOrDefault()
                ?? fallbackCustodian
                ?? throw new InvalidDataException($"The Vault metadata names no account for the messages of {Path.GetFileName(mbox)}: name the custodian (--custodian) whose mail this is.");
            reports.Add(await importer.ImportAsync(mbox, custodian, progress, cancellationToken));
            await KeepMetadataAsync(mbox, custodian, separators, links, metadataFile, cancellationToken);
        }
        return new ImportReport(reports.Sum(r => r.NewItems), reports.Sum(r => r.Duplicates), reports.Sum(r => r.AlreadyImported),
            [.. reports.SelectMany(r => r.Failures)], TimeSpan.FromTicks(reports.Sum(r => r.Elapsed.Ticks)), reports.Sum(r => r.Bytes),
            // One mbox after another: each stage's work is the sum over the mboxes.
            [.. reports.SelectMany(r => r.Stages).GroupBy(s => s.Name).Select(g => new ImportStage(g.Key, g.Max(s => s.Workers),
                TimeSpan.FromTicks(g.Sum(s => s.Busy.Ticks)), g.Any(s => s.Cpu is null) ? null : TimeSpan.FromTicks(g.Sum(s => s.Cpu!.Value.Ticks))))]);
    }

    /// <summary>The metadata's documents by the two keys that connect them to messages.</summary>
    private sealed class Links(IReadOnlyList<VaultDocument> documents)
    {
        private readonly ILookup<string, VaultDocument> _byFile = documents.Where(d => d.ExternalFile is not null).ToLookup(d => d.ExternalFile!, StringComparer.Ordinal);
        private readonly ILookup<string, VaultDocument> _byMessageId = documents.Where(d => d.MessageId is not null).ToLookup(d => d.MessageId!, StringComparer.Ordinal);

        public IEnumerable<VaultDocument> ByExternalFile(string name) => _byFile[name];

        public IEnumerable<VaultDocument> ByMessageId(string messageId) => _byMessageId[messageId];

        /// <summary>The document Vault wrote for the message at this separator, else those with its Message-ID.</summary>
        public IEnumerable<VaultDocument> Of(string? separatorWord, string? messageId)
        {
            var byFile = separatorWord is null ? [] : _byFile[separatorWord].ToList();
            return byFile.Count > 0 ? byFile : messageId is null ? [] : _byMessageId[messageId];
        }
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

    private async Task KeepMetadataAsync(string mbox, string custodian, Dictionary<long, string> separators, Links links, string metadataFile,
        CancellationToken cancellationToken)
    {
        var sources = await db.Set<ArchiveItemSource>().AsNoTracking().Where(s => s.SourceFile == mbox)
            .Join(db.Set<ArchiveItem>(), s => s.ItemId, i => i.Id, (s, i) => new { i.Id, s.Offset, i.MessageId }).ToListAsync(cancellationToken);
        var itemIds = sources.Select(i => i.Id).Distinct().ToList();
        var known = (await db.Set<VaultMessage>().AsNoTracking().Where(v => itemIds.Contains(v.ItemId)).Select(v => new { v.ItemId, v.DocumentId }).ToListAsync(cancellationToken))
            .Select(v => (v.ItemId, v.DocumentId)).ToHashSet();
        var now = clock.GetUtcNow();
        foreach (var source in sources)
        {
            foreach (var document in links.Of(separators.GetValueOrDefault(source.Offset), source.MessageId))
            {
                if (known.Add((source.Id, document.DocumentId)))
                {
                    db.Add(VaultMessage.Create(source.Id, document, document.Account ?? custodian, metadataFile, now));
                }
            }
        }
        await db.SaveChangesAsync(cancellationToken);
    }
}
