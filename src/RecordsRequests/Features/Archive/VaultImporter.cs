using Microsoft.EntityFrameworkCore;
using MimeKit;
using RecordsRequests.Data;

namespace RecordsRequests.Features.Archive;

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
