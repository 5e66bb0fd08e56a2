using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using RecordsRequests.Data;
using RecordsRequests.Features.Records;

namespace RecordsRequests.Features.Archive;

/// <summary>
/// Imports a custodian's mail and files: an mbox (Google Vault exports), a folder of .eml files, a .pst or an Outlook
/// 2003–2010 .ost (converted with readpst from Debian's pst-utils), or PDF, DOCX, TXT and HTML documents, in any mix inside a folder.
/// <para>
/// One pipeline across the cores: a reader cuts the files into messages, parsers (one per core) turn them into text, one
/// stage stores the originals in the content store and syncs them once per batch, one writes the batch's rows with
/// PostgreSQL's binary COPY in one transaction, and indexers (one per core) add the batch to the search index. Bounded
/// queues of batches between the stages keep memory the same whatever the size of the export, and let the slowest stage
/// set the pace. Batches keep their order from the reader to the rows, so what is committed is always a prefix of the input.
/// </para>
/// <para>
/// Deduplication: an item is one message or document by its identity (<see cref="ArchiveIdentity"/>: a well-formed
/// Message-ID with its date and sender, else its normalised headers and text; a document's bytes), not by its bytes, so
/// the same message from a Vault export, a .pst, an mbox and a Graph or Gmail collection is one item listing every source.
/// Each source keeps the SHA-256 of the bytes it brought, and those bytes are stored too: the first copy is the item's
/// original, and the others stay in the content store as what each export held.
/// </para>
/// <para>
/// Durability, idempotence and resumption: the originals of a batch are synced before its rows commit. Every item found
/// is recorded with its (source file, offset), and the rows are the checkpoint: since batches commit in order, the
/// highest offset recorded for an mbox is where a stopped import continues (the messages before it are counted as
/// already imported, not read again), and a file recorded at all is skipped. The index catches up with anything
/// committed but not yet in an index commit (<see cref="ArchiveIndexer.CatchUpAsync"/>).
/// </para>
/// </summary>
public sealed class ArchiveImporter(AppDbContext db, NpgsqlDataSource dataSource, ContentStore store, ArchiveIndex index, ArchiveIndexer indexer, TimeProvider clock)
{
    /// <summary>A batch closes at this many items or <see cref="BatchBytes"/>: one sync and one transaction each.</summary>
    private const int BatchItems = 500;

    private const long BatchBytes = 16L << 20;

    /// <summary>
    /// How often the index is committed during an import: what a crash loses of the index is redone from the store on
    /// the next run. Each commit ends a segment per indexing thread, and every segment builds its own terms dictionary
    /// (then merges rebuild them): committing every 10 seconds made half again as much garbage on 50,000 Enron messages.
    /// </summary>
    private static readonly TimeSpan IndexCommitInterval = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(2);

    /// <param name="origin">How the files came (such as a mailbox collection for a request), in words, recorded with each
    /// source; null for an export given by its path.</param>
    public async Task<ImportReport> ImportAsync(string path, string custodian, TextWriter? progress, CancellationToken cancellationToken, string? origin = null)
    {
        if (string.IsNullOrWhiteSpace(custodian))
        {
            throw new ArgumentException("Every source needs a custodian (the mailbox or file owner).", nameof(custodian));
        }
        custodian = custodian.Trim();
        var root = Path.GetFullPath(path);
        var files = SourceFiles(root);
        await indexer.CatchUpAsync(cancellationToken);
        var recorded = await RecordedAsync(root, cancellationToken);
        var run = new ImportRun(files.Sum(f => new FileInfo(f).Length), progress);

        var workers = Math.Max(1, Environment.ProcessorCount);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = stop.Token;
        var read = Channel.CreateBounded<ReadBatch>(new BoundedChannelOptions(2 * workers) { SingleWriter = true });
        var parsed = Channel.CreateBounded<ParsedBatch>(new BoundedChannelOptions(workers) { SingleReader = true });
        var stored = Channel.CreateBounded<ParsedBatch>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        var saved = Channel.CreateBounded<SavedBatch>(new BoundedChannelOptions(2 * workers) { SingleWriter = true });
        var indexing = new IndexProgress(index);

        var reading = run.Stage("read", 1, ownThread: true);
        var parsing = run.Stage("parse", workers, ownThread: true);
        var storing = run.Stage("store originals", 1, ownThread: false);
        var writing = run.Stage("write rows", 1, ownThread: false);
        var indexingStage = run.Stage("index", workers, ownThread: true);
        var committing = run.Stage("last index commit", 1, ownThread: true);
        var tasks = new List<Task>
        {
            Dedicated(stop, read.Writer, () =>
            {
                ReadFiles(files, recorded, run, reading, read.Writer, token);
                index.InputEnded();
            }),
            CompleteWhenAll(parsed.Writer, Enumerable.Range(0, workers)
                .Select(_ => Dedicated(stop, null, () => ParseBatches(read.Reader, parsed.Writer, run, parsing, token))).ToArray()),
            Guarded(stop, stored.Writer, () => StoreAsync(parsed.Reader, stored.Writer, storing, token)),
            Guarded(stop, saved.Writer, () => SaveRowsAsync(stored.Reader, saved.Writer, new SourceOf(custodian, origin), run, writing, token)),
        };
        tasks.AddRange(Enumerable.Range(0, workers).Select(_ => Dedicated(stop, null, () => IndexBatches(saved.Reader, indexing, indexingStage, token))));
        using (var reporting = new Timer(_ => run.TryReport(), null, ProgressInterval, ProgressInterval))
        {
            try
            {
                await Task.WhenAll(tasks);
            }
            catch
            {
                // The first real failure, not the cancellations it caused in the other stages.
                var failures = tasks.Where(t => t.IsFaulted).SelectMany(t => t.Exception!.InnerExceptions).ToList();
                var cause = failures.FirstOrDefault(e => e is not OperationCanceledException) ?? failures.FirstOrDefault();
                if (cause is not null && !cancellationToken.IsCancellationRequested)
                {
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(cause).Throw();
                }
                throw;
            }
        }
        await CommitIndexAsync(committing, cancellationToken);
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

    internal static bool IsMbox(string file) => Path.GetExtension(file).ToLowerInvariant() is ".mbox" or ".mbx" || LooksLikeMbox(file);

    private static bool LooksLikeMbox(string file)
    {
        Span<byte> start = stackalloc byte[5];
        using var stream = File.OpenRead(file);
        return stream.ReadAtLeast(start, 5, throwOnEndOfStream: false) == 5 && start.SequenceEqual("From "u8);
    }

    /// <summary>What earlier runs recorded under the import path, per source file: the highest offset and how many items.
    /// One query, however many files: a folder of 100,000 .eml files would otherwise cost a round trip per file.</summary>
    private async Task<Dictionary<string, Recorded>> RecordedAsync(string root, CancellationToken cancellationToken) =>
        (await db.Set<ArchiveItemSource>().AsNoTracking().Where(s => s.SourceFile.StartsWith(root))
            .GroupBy(s => s.SourceFile)
            .Select(g => new { File = g.Key, Last = g.Max(s => s.Offset), Count = g.Count() })
            .ToListAsync(cancellationToken))
        .ToDictionary(r => r.File, r => new Recorded(r.Last, r.Count), StringComparer.Ordinal);

    private sealed record Recorded(long LastOffset, int Count);

    // ---- read: files into batches of raw items, in order ----

    private static void ReadFiles(List<string> files, Dictionary<string, Recorded> recorded, ImportRun run, StageClock stage,
        ChannelWriter<ReadBatch> output, CancellationToken token)
    {
        var batches = new BatchBuilder(output, stage, token);
        long before = 0;
        foreach (var file in files)
        {
            token.ThrowIfCancellationRequested();
            var length = new FileInfo(file).Length;
            try
            {
                using (stage.Working())
                {
                    ReadFile(file, before, recorded, run, batches, token);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                run.Fail(file, 0, e);
            }
            before += length;
            batches.DoneBytes = before;
        }
        batches.Flush();
    }

    private static void ReadFile(string file, long before, Dictionary<string, Recorded> recorded, ImportRun run, BatchBuilder batches, CancellationToken token)
    {
        var extension = Path.GetExtension(file).ToLowerInvariant();
        var document = ContentExtractor.DocumentTypes.ContainsKey(extension);
        if (extension is ".pst" or ".ost")
        {
            ReadPst(file, before, recorded, run, batches, token);
        }
        else if (!document && IsMbox(file))
        {
            ReadMbox(file, file, before, recorded, run, batches);
        }
        else if (recorded.ContainsKey(file))
        {
            run.AlreadyImported(1, new FileInfo(file).Length);
        }
        else
        {
            // A document, or a file that holds one message (.eml).
            var bytes = File.ReadAllBytes(file);
            batches.Add(document
                ? new RawItem(file, 0, ArchiveItemKind.Document, bytes, File.GetLastWriteTimeUtc(file))
                : new RawItem(file, 0, ArchiveItemKind.Message, bytes, null), before + bytes.LongLength);
        }
    }

    /// <summary>Each message's provenance offset is the byte offset of its "From " line; a resumed import starts at the last one recorded.</summary>
    private static void ReadMbox(string file, string sourceLabel, long before, Dictionary<string, Recorded> recorded, ImportRun run, BatchBuilder batches)
    {
        long from = 0;
        var skipFirst = false;
        if (recorded.TryGetValue(sourceLabel, out var done))
        {
            // Batches commit in order: everything before the last recorded message was committed (or failed) before it.
            run.AlreadyImported(done.Count, done.LastOffset);
            from = done.LastOffset;
            skipFirst = true;
        }
        foreach (var message in MboxReader.Read(file, from))
        {
            if (skipFirst)
            {
                skipFirst = false;
                run.AlreadyImported(0, message.Bytes.LongLength);
                continue;
            }
            batches.Add(new RawItem(sourceLabel, message.Offset, ArchiveItemKind.Message, message.Bytes, null), before + message.Offset + message.Bytes.LongLength);
        }
    }

    /// <summary>
    /// Converts the PST with readpst (pst-utils) into one mbox per folder and reads those. The provenance names the
    /// PST and the folder ("archive.pst!Inbox/mbox"); readpst's output is deterministic, so offsets survive a re-run.
    /// </summary>
    private static void ReadPst(string file, long before, Dictionary<string, Recorded> recorded, ImportRun run, BatchBuilder batches, CancellationToken token)
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
                var errors = process.StandardError.ReadToEndAsync(token);
                process.StandardOutput.ReadToEnd();
                process.WaitForExitAsync(token).GetAwaiter().GetResult();
                if (process.ExitCode != 0)
                {
                    var said = errors.GetAwaiter().GetResult().Trim();
                    throw new InvalidOperationException(
                        $"readpst could not read {Path.GetFileName(file)} (exit code {process.ExitCode}{(said.Length > 0 ? $": {said}" : "")}). The file is damaged, "
                        + "or in a format readpst does not read (such as an Outlook 2013 or later .ost); export the mailbox to a .pst from Outlook and import that.");
                }
            }
            // readpst writes each mail folder as "mbox"; calendars, contacts and journals go to files of those names and are not e-mail.
            foreach (var mbox in Directory.EnumerateFiles(output.FullName, "mbox", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var label = $"{file}!{Path.GetRelativePath(output.FullName, mbox).Replace('\\', '/')}";
                try
                {
                    // The progress counts the .pst's own bytes; the converted folders are not in the total.
                    ReadMbox(mbox, label, before, recorded, run, batches);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    run.Fail(label, 0, e);
                }
            }
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    // ---- parse: raw items into text, on every core ----

    private static void ParseBatches(ChannelReader<ReadBatch> input, ChannelWriter<ParsedBatch> output, ImportRun run, StageClock stage, CancellationToken token)
    {
        while (TryTake(input, token, out var batch))
        {
            var candidates = new List<Candidate>(batch.Items.Count);
            using (stage.Working())
            {
                foreach (var item in batch.Items)
                {
                    try
                    {
                        var content = item.Kind == ArchiveItemKind.Document
                            ? ContentExtractor.FromDocument(Path.GetFileName(item.SourceFile), item.Bytes, item.ModifiedAt)
                            : ContentExtractor.FromMessageBytes(item.Bytes);
                        var fileName = item.Kind == ArchiveItemKind.Document ? Path.GetFileName(item.SourceFile) : MessageFileName(content);
                        var contentType = item.Kind == ArchiveItemKind.Document
                            ? ContentExtractor.DocumentTypes[Path.GetExtension(item.SourceFile).ToLowerInvariant()]
                            : "message/rfc822";
                        var sha256 = Convert.ToHexStringLower(SHA256.HashData(item.Bytes));
                        candidates.Add(new Candidate(item, fileName, contentType, sha256, ArchiveIdentity.Of(item.Kind, content, sha256), content));
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        run.Fail(item.SourceFile, item.Offset, e);
                    }
                }
            }
            Put(output, new ParsedBatch(batch.Sequence, candidates, batch.DoneBytes), token);
        }
    }

    private static string MessageFileName(ArchiveContent content)
    {
        var subject = string.IsNullOrWhiteSpace(content.Subject) ? "message" : content.Subject.Trim();
        var safe = new string(subject.Select(c => Path.GetInvalidFileNameChars().Contains(c) || char.IsControl(c) ? '_' : c).ToArray());
        return (safe.Length > 120 ? safe[..120] : safe) + ".eml";
    }

    // ---- store originals: back in reading order, one sync per batch ----

    private async Task StoreAsync(ChannelReader<ParsedBatch> input, ChannelWriter<ParsedBatch> output, StageClock stage, CancellationToken token)
    {
        // The parsers finish batches out of order; the rows must commit in order for the checkpoint to hold.
        var waiting = new Dictionary<long, ParsedBatch>();
        long next = 0;
        await foreach (var batch in input.ReadAllAsync(token))
        {
            waiting[batch.Sequence] = batch;
            while (waiting.Remove(next, out var ready))
            {
                using (stage.Working())
                {
                    await store.PutBatchAsync(ready.Candidates.Select(c => (c.Sha256, c.Item.Bytes)).ToList(), token);
                }
                await output.WriteAsync(ready, token);
                next++;
            }
        }
    }

    // ---- write rows: one transaction per batch, binary COPY ----

    private async Task SaveRowsAsync(ChannelReader<ParsedBatch> input, ChannelWriter<SavedBatch> output, SourceOf source, ImportRun run, StageClock stage,
        CancellationToken token)
    {
        await using var connection = await dataSource.OpenConnectionAsync(token);
        await foreach (var batch in input.ReadAllAsync(token))
        {
            SavedBatch saved;
            using (stage.Working())
            {
                saved = await SaveBatchAsync(connection, batch, source, run, token);
            }
            await output.WriteAsync(saved, token);
        }
    }

    /// <summary>Who the import's items belong to, and how they came, as each source row records it.</summary>
    private sealed record SourceOf(string Custodian, string? Origin);

    private async Task<SavedBatch> SaveBatchAsync(NpgsqlConnection connection, ParsedBatch batch, SourceOf source, ImportRun run, CancellationToken token)
    {
        var custodian = source.Custodian;
        var now = clock.GetUtcNow();
        // Items are known by their identity (see ArchiveIdentity), looked up for the whole batch in one query: the same
        // message from another export or a collection, in other bytes, joins the item the archive already has. Exact
        // bytes are matched too, for items whose identity was set from their stored columns by the migration that
        // introduced identities (a message without a Message-ID kept its SHA-256 then).
        var known = new Dictionary<string, Guid>(StringComparer.Ordinal);
        var knownBytes = new Dictionary<string, Guid>(StringComparer.Ordinal);
        if (batch.Candidates.Count > 0)
        {
            await using var lookup = new NpgsqlCommand("select identity, sha256, id from archive_items where identity = any($1) or sha256 = any($2)", connection);
            lookup.Parameters.Add(new NpgsqlParameter { Value = batch.Candidates.Select(c => c.Identity).Distinct().ToArray() });
            lookup.Parameters.Add(new NpgsqlParameter { Value = batch.Candidates.Select(c => c.Sha256).Distinct().ToArray() });
            await using var reader = await lookup.ExecuteReaderAsync(token);
            while (await reader.ReadAsync(token))
            {
                known[reader.GetString(0)] = reader.GetGuid(2);
                knownBytes[reader.GetString(1)] = reader.GetGuid(2);
            }
        }
        var entries = new Dictionary<Guid, IndexEntry>();
        var items = new List<ArchiveItem>();
        var sources = new List<ArchiveItemSource>();
        int added = 0, duplicates = 0;
        long bytes = 0;
        foreach (var candidate in batch.Candidates)
        {
            bytes += candidate.Item.Bytes.LongLength;
            if (known.TryGetValue(candidate.Identity, out var id) || knownBytes.TryGetValue(candidate.Sha256, out id))
            {
                duplicates++;
                entries.TryAdd(id, new IndexEntry(id, candidate, Created: false, []));
            }
            else
            {
                var item = ArchiveItem.Create(candidate.Sha256, candidate.Identity, candidate.Item.Kind, candidate.Item.Bytes.LongLength, candidate.FileName,
                    candidate.ContentType, candidate.Content, now);
                items.Add(item);
                known[candidate.Identity] = knownBytes[candidate.Sha256] = id = item.Id;
                entries[id] = new IndexEntry(id, candidate, Created: true, [custodian]);
                added++;
            }
            sources.Add(ArchiveItemSource.Create(id, custodian, candidate.Item.SourceFile, candidate.Item.Offset, candidate.Sha256, source.Origin, now));
        }
        if (sources.Count > 0)
        {
            // The originals were synced by the stage before: a row never points at a file that is not on disk.
            await using (var transaction = await connection.BeginTransactionAsync(token))
            {
                await CopyItemsAsync(connection, items, token);
                await CopySourcesAsync(connection, sources, token);
                await transaction.CommitAsync(CancellationToken.None);
            }
            // Known items that gained a custodian are indexed again with all of theirs.
            var again = entries.Values.Where(e => !e.Created).Select(e => e.Id).ToArray();
            if (again.Length > 0)
            {
                var custodians = new Dictionary<Guid, List<string>>();
                await using var command = new NpgsqlCommand("select item_id, custodian from archive_item_sources where item_id = any($1)", connection);
                command.Parameters.Add(new NpgsqlParameter { Value = again });
                await using var reader = await command.ExecuteReaderAsync(token);
                while (await reader.ReadAsync(token))
                {
                    var id = reader.GetGuid(0);
                    if (!custodians.TryGetValue(id, out var list))
                    {
                        custodians[id] = list = [];
                    }
                    list.Add(reader.GetString(1));
                }
                foreach (var id in again)
                {
                    entries[id] = entries[id] with { Custodians = custodians.GetValueOrDefault(id) ?? [custodian] };
                }
            }
        }
        // The highest source id once this batch is committed and before the next is: the index commit that holds this
        // batch and those before it may record it as its watermark.
        long watermark;
        await using (var max = new NpgsqlCommand("select coalesce(max(id), 0) from archive_item_sources", connection))
        {
            watermark = (long)(await max.ExecuteScalarAsync(token))!;
        }
        run.Committed(added, duplicates, bytes, batch.DoneBytes);
        return new SavedBatch(batch.Sequence, entries.Values.ToList(), watermark);
    }

    private static async Task CopyItemsAsync(NpgsqlConnection connection, List<ArchiveItem> items, CancellationToken token)
    {
        if (items.Count == 0)
        {
            return;
        }
        await using var copy = await connection.BeginBinaryImportAsync(
            "copy archive_items (id, sha256, identity, kind, size_bytes, file_name, content_type, message_id, subject, sender, sent_at, attachment_count, estimated_pages, imported_at) from stdin (format binary)",
            token);
        foreach (var item in items)
        {
            await copy.StartRowAsync(token);
            await copy.WriteAsync(item.Id, NpgsqlDbType.Uuid, token);
            await copy.WriteAsync(item.Sha256, NpgsqlDbType.Varchar, token);
            await copy.WriteAsync(item.Identity, NpgsqlDbType.Varchar, token);
            await copy.WriteAsync(item.Kind.ToString(), NpgsqlDbType.Varchar, token);
            await copy.WriteAsync(item.SizeBytes, NpgsqlDbType.Bigint, token);
            await copy.WriteAsync(Text(item.FileName), NpgsqlDbType.Varchar, token);
            await copy.WriteAsync(item.ContentType, NpgsqlDbType.Varchar, token);
            if (item.MessageId is null)
            {
                await copy.WriteNullAsync(token);
            }
            else
            {
                await copy.WriteAsync(Text(item.MessageId), NpgsqlDbType.Varchar, token);
            }
            await copy.WriteAsync(Text(item.Subject), NpgsqlDbType.Varchar, token);
            await copy.WriteAsync(Text(item.Sender), NpgsqlDbType.Varchar, token);
            if (item.SentAt is { } sent)
            {
                await copy.WriteAsync(sent, NpgsqlDbType.TimestampTz, token);
            }
            else
            {
                await copy.WriteNullAsync(token);
            }
            await copy.WriteAsync(item.AttachmentCount, NpgsqlDbType.Integer, token);
            await copy.WriteAsync(item.EstimatedPages, NpgsqlDbType.Integer, token);
            await copy.WriteAsync(item.ImportedAt, NpgsqlDbType.TimestampTz, token);
        }
        await copy.CompleteAsync(token);
    }

    private static async Task CopySourcesAsync(NpgsqlConnection connection, List<ArchiveItemSource> sources, CancellationToken token)
    {
        await using var copy = await connection.BeginBinaryImportAsync(
            "copy archive_item_sources (item_id, custodian, source_file, \"offset\", original_sha256, origin, imported_at) from stdin (format binary)", token);
        foreach (var source in sources)
        {
            await copy.StartRowAsync(token);
            await copy.WriteAsync(source.ItemId, NpgsqlDbType.Uuid, token);
            await copy.WriteAsync(source.Custodian, NpgsqlDbType.Varchar, token);
            await copy.WriteAsync(source.SourceFile, NpgsqlDbType.Varchar, token);
            await copy.WriteAsync(source.Offset, NpgsqlDbType.Bigint, token);
            await copy.WriteAsync(source.OriginalSha256, NpgsqlDbType.Varchar, token);
            if (source.Origin is null)
            {
                await copy.WriteNullAsync(token);
            }
            else
            {
                await copy.WriteAsync(source.Origin, NpgsqlDbType.Varchar, token);
            }
            await copy.WriteAsync(source.ImportedAt, NpgsqlDbType.TimestampTz, token);
        }
        await copy.CompleteAsync(token);
    }

    /// <summary>PostgreSQL text cannot hold NUL, which a damaged header can carry; it is the one character dropped.</summary>
    private static string Text(string value) => value.Contains('\0', StringComparison.Ordinal) ? value.Replace("\0", "", StringComparison.Ordinal) : value;

    // ---- index: on every core, committed every few seconds ----

    private static void IndexBatches(ChannelReader<SavedBatch> input, IndexProgress progress, StageClock stage, CancellationToken token)
    {
        while (TryTake(input, token, out var batch))
        {
            using (stage.Working())
            {
                foreach (var entry in batch.Entries)
                {
                    // Rows are committed before documents are added, so an item created in this batch cannot be in the
                    // index yet; a known item that gained a custodian is replaced.
                    var document = ArchiveDocuments.Build(entry.Id, entry.Candidate.Item.Kind, entry.Custodians, entry.Candidate.Content);
                    if (entry.Created)
                    {
                        progress.Index.Add(document);
                    }
                    else
                    {
                        progress.Index.Upsert(entry.Id, document);
                    }
                }
                progress.Done(batch.Sequence, batch.Watermark);
            }
        }
    }

    /// <summary>Writes out what the indexers still hold in memory and commits it: the one stage no other runs beside.</summary>
    private async Task CommitIndexAsync(StageClock stage, CancellationToken cancellationToken)
    {
        var latest = await db.Set<ArchiveItemSource>().MaxAsync(s => (long?)s.Id, cancellationToken) ?? 0;
        using (stage.Working())
        {
            index.Commit(latest);
        }
    }

    /// <summary>
    /// Which batches the indexers have finished. Batches finish out of order; an index commit records the watermark of
    /// the last batch before which all are done, so a crash never leaves a committed source unindexed and uncaught.
    /// </summary>
    private sealed class IndexProgress(ArchiveIndex index)
    {
        private readonly System.Threading.Lock _gate = new();
        private readonly SortedDictionary<long, long> _finished = [];
        private long _next;
        private long _watermark;
        private long _committed;
        private readonly Stopwatch _sinceCommit = Stopwatch.StartNew();

        public ArchiveIndex Index { get; } = index;

        public void Done(long sequence, long watermark)
        {
            long? commit = null;
            lock (_gate)
            {
                _finished[sequence] = watermark;
                while (_finished.Remove(_next, out var done))
                {
                    _watermark = done;
                    _next++;
                }
                if (_watermark > _committed && _sinceCommit.Elapsed >= IndexCommitInterval)
                {
                    commit = _committed = _watermark;
                    _sinceCommit.Restart();
                }
            }
            if (commit is { } watermarkToCommit)
            {
                Index.Commit(watermarkToCommit);
            }
        }
    }

    // ---- the pipeline's plumbing ----

    private sealed record RawItem(string SourceFile, long Offset, ArchiveItemKind Kind, byte[] Bytes, DateTimeOffset? ModifiedAt);

    /// <param name="DoneBytes">How far into the whole import (all files' bytes) the input has been read once this batch is done.</param>
    private sealed record ReadBatch(long Sequence, List<RawItem> Items, long DoneBytes);

    private sealed record Candidate(RawItem Item, string FileName, string ContentType, string Sha256, string Identity, ArchiveContent Content);

    private sealed record ParsedBatch(long Sequence, List<Candidate> Candidates, long DoneBytes);

    private sealed record IndexEntry(Guid Id, Candidate Candidate, bool Created, IReadOnlyList<string> Custodians);

    private sealed record SavedBatch(long Sequence, List<IndexEntry> Entries, long Watermark);

    private sealed class BatchBuilder(ChannelWriter<ReadBatch> output, StageClock stage, CancellationToken token)
    {
        private List<RawItem> _items = [];
        private long _bytes;
        private long _sequence;

        public long DoneBytes { get; set; }

        public void Add(RawItem item, long doneBytes)
        {
            _items.Add(item);
            _bytes += item.Bytes.LongLength;
            DoneBytes = doneBytes;
            if (_items.Count >= BatchItems || _bytes >= BatchBytes)
            {
                Flush();
            }
        }

        public void Flush()
        {
            if (_items.Count == 0)
            {
                return;
            }
            var batch = new ReadBatch(_sequence++, _items, DoneBytes);
            _items = [];
            _bytes = 0;
            using (stage.Waiting())
            {
                Put(output, batch, token);
            }
        }
    }

    /// <summary>Runs a stage that blocks (reading files, parsing, indexing) on a thread of its own, not the pool's.</summary>
    private static Task Dedicated<T>(CancellationTokenSource stop, ChannelWriter<T>? output, Action body) =>
        Guarded(stop, output, () => Task.Factory.StartNew(body, stop.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default));

    private static Task Dedicated(CancellationTokenSource stop, ChannelWriter<object>? output, Action body) => Dedicated<object>(stop, output, body);

    /// <summary>A stage that fails stops the others; its output is completed either way, so the next stage ends too.</summary>
    private static async Task Guarded<T>(CancellationTokenSource stop, ChannelWriter<T>? output, Func<Task> body)
    {
        try
        {
            await body();
            output?.TryComplete();
        }
        catch (Exception e)
        {
            output?.TryComplete(e);
            await stop.CancelAsync();
            throw;
        }
    }

    private static async Task CompleteWhenAll<T>(ChannelWriter<T> output, Task[] workers)
    {
        try
        {
            await Task.WhenAll(workers);
            output.TryComplete();
        }
        catch (Exception e)
        {
            output.TryComplete(e);
            throw;
        }
    }

    private static void Put<T>(ChannelWriter<T> output, T item, CancellationToken token)
    {
        if (!output.TryWrite(item))
        {
            output.WriteAsync(item, token).AsTask().GetAwaiter().GetResult();
        }
    }

    private static bool TryTake<T>(ChannelReader<T> input, CancellationToken token, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out T item)
    {
        while (!input.TryRead(out item))
        {
            if (!input.WaitToReadAsync(token).AsTask().GetAwaiter().GetResult())
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Wall and processor time one stage spends working, summed over its workers.</summary>
    private sealed class StageClock(string name, int workers, bool ownThread)
    {
        private long _busyTicks;
        private long _cpuNanoseconds;

        public string Name { get; } = name;
        public int Workers { get; } = workers;

        public Timing Working() => new(this);

        /// <summary>Time spent handing work on (the next stage is full) is not work: taken back off.</summary>
        public Timing Waiting() => new(this, negative: true);

        public ImportStage Result() => new(Name, Workers, Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _busyTicks)),
            ownThread ? TimeSpan.FromTicks(Interlocked.Read(ref _cpuNanoseconds) / 100) : null);

        public readonly struct Timing(StageClock stage, bool negative = false) : IDisposable
        {
            private readonly long _started = Stopwatch.GetTimestamp();
            private readonly long _cpu = ThreadCpu.Nanoseconds();

            public void Dispose()
            {
                var sign = negative ? -1 : 1;
                Interlocked.Add(ref stage._busyTicks, sign * (Stopwatch.GetTimestamp() - _started));
                Interlocked.Add(ref stage._cpuNanoseconds, sign * (ThreadCpu.Nanoseconds() - _cpu));
            }
        }
    }

    /// <summary>The calling thread's processor time (clock_gettime with CLOCK_THREAD_CPUTIME_ID); 0 where that is not available.</summary>
    private static class ThreadCpu
    {
        private const int ThreadCpuClock = 3;

        [StructLayout(LayoutKind.Sequential)]
        private struct TimeSpec
        {
            public long Seconds;
            public long Nanoseconds;
        }

        [DllImport("libc", EntryPoint = "clock_gettime")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        private static extern int ClockGetTime(int clock, out TimeSpec time);

        private static readonly bool Available = OperatingSystem.IsLinux();

        public static long Nanoseconds() => Available && ClockGetTime(ThreadCpuClock, out var time) == 0 ? time.Seconds * 1_000_000_000 + time.Nanoseconds : 0;
    }

    /// <summary>Counters and progress of one import, shared by the stages.</summary>
    private sealed class ImportRun(long totalBytes, TextWriter? progress)
    {
        private readonly List<ImportFailure> _failures = [];
        private readonly List<StageClock> _stages = [];
        private readonly Stopwatch _elapsed = Stopwatch.StartNew();
        private readonly System.Threading.Lock _gate = new();
        private int _newItems;
        private int _duplicates;
        private int _alreadyImported;
        private long _bytes;
        private long _doneBytes;
        private long _skippedBytes;

        public StageClock Stage(string name, int workers, bool ownThread)
        {
            var stage = new StageClock(name, workers, ownThread);
            _stages.Add(stage);
            return stage;
        }

        /// <param name="bytes">How much of the input this skipped: it is done, but not done by this run.</param>
        public void AlreadyImported(int items, long bytes)
        {
            Interlocked.Add(ref _alreadyImported, items);
            Interlocked.Add(ref _skippedBytes, bytes);
        }

        public void Committed(int added, int duplicates, long bytes, long doneBytes)
        {
            Interlocked.Add(ref _newItems, added);
            Interlocked.Add(ref _duplicates, duplicates);
            Interlocked.Add(ref _bytes, bytes);
            Interlocked.Exchange(ref _doneBytes, doneBytes);
        }

        public void Fail(string sourceFile, long offset, Exception error)
        {
            lock (_gate)
            {
                _failures.Add(new ImportFailure(sourceFile, offset, error.Message));
                progress?.WriteLine($"failed: {sourceFile} @ {offset}: {error.Message}");
            }
        }

        /// <summary>A progress line that cannot be written (the page's database is busy) must not stop the import.</summary>
        public void TryReport()
        {
            try
            {
                Report(final: false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                System.Diagnostics.Trace.TraceWarning($"Import progress could not be reported: {e.Message}");
            }
        }

        public void Report(bool final)
        {
            if (progress is null)
            {
                return;
            }
            int failed;
            lock (_gate)
            {
                failed = _failures.Count;
            }
            var elapsed = _elapsed.Elapsed;
            var seconds = Math.Max(elapsed.TotalSeconds, 0.001);
            var added = Volatile.Read(ref _newItems);
            var duplicates = Volatile.Read(ref _duplicates);
            var already = Volatile.Read(ref _alreadyImported);
            var done = final ? totalBytes : Math.Max(Interlocked.Read(ref _doneBytes), Interlocked.Read(ref _skippedBytes));
            // The rate is this run's own: what an earlier run did, and was skipped now, took no time here.
            var taken = added + duplicates + failed;
            var bytesPerSecond = Math.Max(0, done - Interlocked.Read(ref _skippedBytes)) / seconds;
            // Before the first batch is in, there is no rate to tell the time left by.
            var left = bytesPerSecond > 0
                ? string.Create(CultureInfo.InvariantCulture, $"about {TimeSpan.FromSeconds(Math.Max(0, totalBytes - done) / bytesPerSecond):h\\:mm\\:ss} left")
                : "time left not known yet";
            var line = string.Create(CultureInfo.InvariantCulture,
                $"{(final ? "done" : "importing")}: {taken + already:N0} items ({added:N0} new, {duplicates:N0} duplicates, {already:N0} already imported, {failed:N0} failed), {taken / seconds:N0} a second; {done / 1048576.0:N1} of {totalBytes / 1048576.0:N1} MB ({(totalBytes == 0 ? 100 : 100.0 * done / totalBytes):F0} %), {bytesPerSecond / 1048576.0:N1} MB/s; {(final ? $"took {elapsed:h\\:mm\\:ss}" : left)}");
            lock (_gate)
            {
                progress.WriteLine(line);
            }
        }

        public ImportReport Result()
        {
            lock (_gate)
            {
                return new ImportReport(_newItems, _duplicates, _alreadyImported, _failures.ToList(), _elapsed.Elapsed, Interlocked.Read(ref _bytes),
                    _stages.Select(s => s.Result()).ToList());
            }
        }
    }
}
