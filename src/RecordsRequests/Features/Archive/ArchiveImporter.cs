using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using RecordsRequests.Data;
using RecordsRequests.Features.Records;

namespace RecordsRequests.Features.Archive;

public sealed record ImportFailure(string SourceFile, long Offset, string Error);

public sealed record ImportReport(int NewItems, int Duplicates, int AlreadyImported, IReadOnlyList<ImportFailure> Failures, TimeSpan Elapsed, long Bytes)
{
    public int Processed => NewItems + Duplicates + AlreadyImported + Failures.Count;
}

/// <summary>
/// Imports a custodian's mail and files: an mbox (Google Vault exports), a folder of .eml files, a .pst or an Outlook
/// 2003–2010 .ost (converted with readpst from Debian's pst-utils), or PDF, DOCX, TXT and HTML documents, in any mix inside a folder.
/// <para>
/// Deduplication: an item is identified by the SHA-256 of its original bytes (for an mbox message, the bytes between
/// the "From " separator line and the next one). Exact copies across mailboxes therefore collapse to one item that lists
/// every custodian, and nothing that differs by a single byte (a different header added by another export) is ever
/// merged silently; near-duplicates with the same Message-ID remain separate items and can be found by messageid:.
/// </para>
/// <para>
/// Idempotence and resumption: every item found is recorded with its (source file, offset). Running the same import
/// again, or after it was killed, skips what is recorded and continues with the rest; the index catches up with
/// anything saved but not yet committed to it (<see cref="ArchiveIndexer.CatchUpAsync"/>).
/// </para>
/// </summary>
public sealed class ArchiveImporter(AppDbContext db, ContentStore store, ArchiveIndex index, ArchiveIndexer indexer, TimeProvider clock)
{
    private readonly AppDbContext _db = db;
    private readonly ContentStore _store = store;
    private readonly ArchiveIndex _index = index;

    private const int BatchSize = 200;
    private static readonly TimeSpan CommitInterval = TimeSpan.FromSeconds(20);

    public async Task<ImportReport> ImportAsync(string path, string custodian, TextWriter? progress, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(custodian))
        {
            throw new ArgumentException("Every source needs a custodian (the mailbox or file owner).", nameof(custodian));
        }
        custodian = custodian.Trim();
        var root = Path.GetFullPath(path);
        var files = SourceFiles(root);
        await indexer.CatchUpAsync(cancellationToken);
        var run = new ImportRun(this, custodian, files.Sum(f => new FileInfo(f).Length), progress, clock);
        await run.LoadKnownAsync(root, cancellationToken);
        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await ImportFileAsync(run, file, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                run.Fail(file, 0, e);
            }
            run.CompletedBytes += new FileInfo(file).Length;
        }
        await run.FlushAsync(cancellationToken);
        await run.IndexedAsync();
        await CommitIndexAsync(cancellationToken);
        run.Report(final: true);
        return run.Result();
    }

    /// <summary>The file itself, or every file under the folder (hidden ones skipped) in a stable order.</summary>
    internal static List<string> SourceFiles(string path)
    {
        if (File.Exists(path))
        {
            return [path];
        }
        if (!Directory.Exists(path))
        {
            throw new FileNotFoundException($"No file or folder at {path}.", path);
        }
        return Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private async Task ImportFileAsync(ImportRun run, string file, CancellationToken cancellationToken)
    {
        var extension = Path.GetExtension(file).ToLowerInvariant();
        if (extension is ".pst" or ".ost")
        {
            await ImportPstAsync(run, file, cancellationToken);
        }
        else if (ContentExtractor.DocumentTypes.TryGetValue(extension, out var contentType))
        {
            if (run.IsKnown(file, 0))
            {
                run.AlreadyImported++;
                return;
            }
            var bytes = await File.ReadAllBytesAsync(file, cancellationToken);
            var content = ContentExtractor.FromDocument(Path.GetFileName(file), bytes, File.GetLastWriteTimeUtc(file));
            await run.AddAsync(new Candidate(file, 0, ArchiveItemKind.Document, Path.GetFileName(file), contentType, bytes, content), cancellationToken);
        }
        else if (IsMbox(file))
        {
            await ImportMboxAsync(run, file, file, cancellationToken);
        }
        else
        {
            if (run.IsKnown(file, 0))
            {
                run.AlreadyImported++;
                return;
            }
            var bytes = await File.ReadAllBytesAsync(file, cancellationToken);
            var content = ContentExtractor.FromMessageBytes(bytes);
            await run.AddAsync(new Candidate(file, 0, ArchiveItemKind.Message, MessageFileName(content), "message/rfc822", bytes, content), cancellationToken);
        }
    }

    internal static bool IsMbox(string file) => Path.GetExtension(file).ToLowerInvariant() is ".mbox" or ".mbx" || LooksLikeMbox(file);

    private static bool LooksLikeMbox(string file)
    {
        Span<byte> start = stackalloc byte[5];
        using var stream = File.OpenRead(file);
        return stream.ReadAtLeast(start, 5, throwOnEndOfStream: false) == 5 && start.SequenceEqual("From "u8);
    }

    /// <summary>Parses an mbox; each message's provenance offset is the byte offset of its "From " line.</summary>
    private async Task ImportMboxAsync(ImportRun run, string file, string sourceLabel, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        await using var raw = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var parser = new MimeParser(stream, MimeFormat.Mbox);
        long begin = 0, end = 0;
        parser.MimeMessageBegin += (_, e) => { if (e.Parent is null) { begin = e.BeginOffset; } };
        parser.MimeMessageEnd += (_, e) => { if (e.Parent is null) { end = e.EndOffset; } };
        while (!parser.IsEndOfStream)
        {
            cancellationToken.ThrowIfCancellationRequested();
            MimeMessage message;
            try
            {
                message = await parser.ParseMessageAsync(cancellationToken);
            }
            catch (FormatException e)
            {
                run.Fail(sourceLabel, parser.Position, e);
                break;
            }
            var offset = parser.MboxMarkerOffset;
            run.CompletedInFile = parser.Position;
            if (run.IsKnown(sourceLabel, offset))
            {
                run.AlreadyImported++;
                continue;
            }
            try
            {
                var bytes = new byte[end - begin];
                raw.Position = begin;
                await raw.ReadExactlyAsync(bytes, cancellationToken);
                var content = ContentExtractor.FromMessage(message);
                await run.AddAsync(new Candidate(sourceLabel, offset, ArchiveItemKind.Message, MessageFileName(content), "message/rfc822", bytes, content), cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                run.Fail(sourceLabel, offset, e);
            }
        }
        run.CompletedInFile = 0;
    }

    /// <summary>
    /// Converts the PST with readpst (pst-utils) into one mbox per folder and imports those. The provenance names the
    /// PST and the folder ("archive.pst!Inbox/mbox"); readpst's output is deterministic, so offsets survive a re-run.
    /// </summary>
    private async Task ImportPstAsync(ImportRun run, string file, CancellationToken cancellationToken)
    {
        var output = Directory.CreateTempSubdirectory("records-pst-");
        try
        {
            var start = new ProcessStartInfo("readpst") { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var argument in new[] { "-q", "-r", "-j", "0", "-o", output.FullName, file })
            {
                start.ArgumentList.Add(argument);
            }
            Process process;
            try
            {
                process = Process.Start(start) ?? throw new InvalidOperationException("readpst did not start.");
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                throw new InvalidOperationException("Importing a .pst needs readpst: apt-get install pst-utils.", e);
            }
            using (process)
            {
                var errors = process.StandardError.ReadToEndAsync(cancellationToken);
                await process.StandardOutput.ReadToEndAsync(cancellationToken);
                await process.WaitForExitAsync(cancellationToken);
                if (process.ExitCode != 0)
                {
                    var said = (await errors).Trim();
                    throw new InvalidOperationException(
                        $"readpst could not read {Path.GetFileName(file)} (exit code {process.ExitCode}{(said.Length > 0 ? $": {said}" : "")}). The file is damaged, "
                        + "or in a format readpst does not read (such as an Outlook 2013 or later .ost); export the mailbox to a .pst from Outlook and import that.");
                }
            }
            // readpst writes each mail folder as "mbox"; calendars, contacts and journals go to files of those names and are not e-mail.
            foreach (var mbox in Directory.EnumerateFiles(output.FullName, "mbox", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var label = $"{file}!{Path.GetRelativePath(output.FullName, mbox).Replace('\\', '/')}";
                await ImportMboxAsync(run, mbox, label, cancellationToken);
            }
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    private static string MessageFileName(ArchiveContent content)
    {
        var subject = string.IsNullOrWhiteSpace(content.Subject) ? "message" : content.Subject.Trim();
        var safe = new string(subject.Select(c => Path.GetInvalidFileNameChars().Contains(c) || char.IsControl(c) ? '_' : c).ToArray());
        return (safe.Length > 120 ? safe[..120] : safe) + ".eml";
    }

    private async Task CommitIndexAsync(CancellationToken cancellationToken)
    {
        var latest = await _db.Set<ArchiveItemSource>().MaxAsync(s => (long?)s.Id, cancellationToken) ?? 0;
        _index.Commit(latest);
    }

    private sealed record Candidate(string SourceFile, long Offset, ArchiveItemKind Kind, string FileName, string ContentType, byte[] Bytes, ArchiveContent Content)
    {
        public string Sha256 { get; } = Convert.ToHexStringLower(SHA256.HashData(Bytes));
    }

    /// <summary>State of one import: pending batch, counters, progress.</summary>
    private sealed class ImportRun(ArchiveImporter importer, string custodian, long totalBytes, TextWriter? progress, TimeProvider clock)
    {
        private readonly List<Candidate> _pending = [];
        private readonly List<ImportFailure> _failures = [];
        private readonly Dictionary<string, HashSet<long>> _known = new(StringComparer.Ordinal);
        private readonly Stopwatch _elapsed = Stopwatch.StartNew();
        private Task _indexing = Task.CompletedTask;
        private TimeSpan _lastReport;
        private TimeSpan _lastCommit;
        private int _newItems;
        private int _duplicates;

        public int AlreadyImported { get; set; }
        public long CompletedBytes { get; set; }
        public long CompletedInFile { get; set; }

        /// <summary>
        /// Reads every (source file, offset) already recorded under the import path in one query: a folder of 100,000
        /// .eml files would otherwise cost a database round trip per file. Source labels of a .pst start with its path.
        /// </summary>
        public async Task LoadKnownAsync(string root, CancellationToken cancellationToken)
        {
            var known = await importer._db.Set<ArchiveItemSource>().AsNoTracking().Where(s => s.SourceFile.StartsWith(root))
                .Select(s => new { s.SourceFile, s.Offset }).ToListAsync(cancellationToken);
            foreach (var source in known)
            {
                Remember(source.SourceFile, source.Offset);
            }
        }

        /// <summary>Whether this place in a source file was imported before (only files under the loaded root are asked about).</summary>
        public bool IsKnown(string sourceFile, long offset) =>
            (_known.TryGetValue(sourceFile, out var offsets) && offsets.Contains(offset)) || _pending.Any(p => p.SourceFile == sourceFile && p.Offset == offset);

        private void Remember(string sourceFile, long offset)
        {
            if (!_known.TryGetValue(sourceFile, out var offsets))
            {
                _known[sourceFile] = offsets = [];
            }
            offsets.Add(offset);
        }

        public async Task AddAsync(Candidate candidate, CancellationToken cancellationToken)
        {
            _pending.Add(candidate);
            if (_pending.Count >= BatchSize)
            {
                await FlushAsync(cancellationToken);
            }
        }

        public void Fail(string sourceFile, long offset, Exception error)
        {
            var failure = new ImportFailure(sourceFile, offset, error.Message);
            _failures.Add(failure);
            progress?.WriteLine($"failed: {sourceFile} @ {offset}: {error.Message}");
        }

        public async Task FlushAsync(CancellationToken cancellationToken)
        {
            if (_pending.Count == 0)
            {
                return;
            }
            var db = importer._db;
            var now = clock.GetUtcNow();
            var hashes = _pending.Select(p => p.Sha256).Distinct().ToList();
            var items = await db.Set<ArchiveItem>().Where(i => hashes.Contains(i.Sha256)).ToDictionaryAsync(i => i.Sha256, cancellationToken);
            var touched = new Dictionary<Guid, Candidate>();
            var created = new HashSet<Guid>();
            var originals = new List<byte[]>();
            foreach (var candidate in _pending)
            {
                if (items.TryGetValue(candidate.Sha256, out var item))
                {
                    _duplicates++;
                }
                else
                {
                    originals.Add(candidate.Bytes);
                    item = ArchiveItem.Create(candidate.Sha256, candidate.Kind, candidate.Bytes.LongLength, candidate.FileName, candidate.ContentType,
                        candidate.Content, now);
                    db.Add(item);
                    items[candidate.Sha256] = item;
                    created.Add(item.Id);
                    _newItems++;
                }
                db.Add(ArchiveItemSource.Create(item.Id, custodian, candidate.SourceFile, candidate.Offset, now));
                touched[item.Id] = candidate;
                Remember(candidate.SourceFile, candidate.Offset);
            }
            // The originals are on disk before their rows are saved, so a row never points at a missing file.
            await importer._store.PutBatchAsync(originals, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();

            var ids = touched.Keys.ToList();
            var custodians = (await db.Set<ArchiveItemSource>().Where(s => ids.Contains(s.ItemId)).Select(s => new { s.ItemId, s.Custodian })
                    .ToListAsync(cancellationToken))
                .ToLookup(s => s.ItemId, s => s.Custodian);
            // Analysing the text for the index is the costliest step of an import, so a batch is indexed on another
            // core while the next one is parsed and saved; one batch at a time, so memory stays bounded.
            await IndexedAsync();
            var index = importer._index;
            _indexing = Task.Run(() =>
            {
                foreach (var (id, candidate) in touched)
                {
                    // Rows are saved before documents are added, so an item created in this batch cannot be in the index
                    // yet; a known item that gained a custodian is replaced.
                    var document = ArchiveDocuments.Build(id, candidate.Kind, custodians[id], candidate.Content);
                    if (created.Contains(id))
                    {
                        index.Add(document);
                    }
                    else
                    {
                        index.Upsert(id, document);
                    }
                }
            }, cancellationToken);
            CompletedBytesInBatches += _pending.Sum(p => (long)p.Bytes.Length);
            _pending.Clear();
            if (_elapsed.Elapsed - _lastCommit > CommitInterval)
            {
                await IndexedAsync();
                await importer.CommitIndexAsync(cancellationToken);
                _lastCommit = _elapsed.Elapsed;
            }
            Report(final: false);
        }

        private long CompletedBytesInBatches { get; set; }

        /// <summary>Waits for the batch being indexed, if any; its failure fails the import here.</summary>
        public Task IndexedAsync() => _indexing;

        public void Report(bool final)
        {
            if (progress is null || (!final && _elapsed.Elapsed - _lastReport < TimeSpan.FromSeconds(2)))
            {
                return;
            }
            _lastReport = _elapsed.Elapsed;
            var seconds = Math.Max(_elapsed.Elapsed.TotalSeconds, 0.001);
            var done = CompletedBytes + CompletedInFile;
            var processed = _newItems + _duplicates + AlreadyImported + _failures.Count;
            var rate = processed / seconds;
            var left = done > 0 && totalBytes > done ? TimeSpan.FromSeconds(seconds * (totalBytes - done) / done) : TimeSpan.Zero;
            progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{(final ? "done" : "importing")}: {processed} items ({_newItems} new, {_duplicates} duplicates, {AlreadyImported} already imported, {_failures.Count} failed), {rate:F0}/s, {CompletedBytesInBatches / 1048576.0 / seconds:F1} MB/s, {(final ? $"took {_elapsed.Elapsed:hh\\:mm\\:ss}" : $"about {left:hh\\:mm\\:ss} left")}"));
        }

        public ImportReport Result() => new(_newItems, _duplicates, AlreadyImported, _failures, _elapsed.Elapsed, CompletedBytesInBatches);
    }
}
