using System.Security.Cryptography;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using RecordsRequests.Data;
using RecordsRequests.Features.Documents;
using RecordsRequests.Features.Messages;
using RecordsRequests.Features.Records;
using RecordsRequests.Features.Requests;
using RecordsRequests.Features.Shared;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Intake;

/// <summary>
/// The single entry point for inbound mail, whatever the channel. Raw first: the exact bytes are stored
/// content-addressed and an <see cref="InboundMessage"/> row is committed before parsing starts, so nothing that
/// arrived can be lost by a parser failure or a crash. Parsing and reading the message run under a time limit. A
/// second delivery of the same bytes, or of the same Message-ID, is recognised and not processed twice.
/// </summary>
public sealed class MailIntake(
    AppDbContext db,
    NpgsqlDataSource dataSource,
    ContentStore store,
    IBackgroundJobClient jobs,
    SubmitRequest submit,
    DatabaseThreadLookup threads,
    MailAnalyzer analyzer,
    IEnumerable<IRequestReplyListener> replyListeners,
    TimeProvider clock,
    IOptions<IntakeOptions> options,
    ILogger<MailIntake> log)
{
    /// <param name="envelope">What the SMTP conversation said (peer address, HELO, envelope); only the listener knows it.</param>
    public async Task<IntakeResult> ReceiveAsync(byte[] raw, IntakeSource source, string? sourceReference, CancellationToken cancellationToken,
        IntakeEnvelope? envelope = null)
    {
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(raw));
        sourceReference = UntrustedText.CleanOrNull(sourceReference);
        return await WithMessageLockAsync(sha256, () => ReceiveLockedAsync(raw, sha256, source, sourceReference, envelope, stored: false, cancellationToken),
            cancellationToken);
    }

    /// <inheritdoc cref="ReceiveBatchAsync(IReadOnlyList{IncomingMail}, IntakeSource, CancellationToken, IntakeEnvelope?)"/>
    public Task<IReadOnlyList<IntakeResult>> ReceiveBatchAsync(IReadOnlyList<(byte[] Raw, string? SourceReference)> messages, IntakeSource source,
        CancellationToken cancellationToken) =>
        ReceiveBatchAsync(messages.Select(m => new IncomingMail(m.Raw, m.SourceReference)).ToList(), source, cancellationToken);

    /// <summary>
    /// Takes in what one channel fetched together (a page of a mailbox, an IMAP poll, the messages of a drop-folder
    /// file), in the order given, as <see cref="ReceiveAsync"/> would one by one, with the database work of the batch
    /// done together: the originals are stored and synced at once; one statement locks the batch's hashes and one
    /// finds the rows they have; the new rows are committed together before any message is read; the messages are read
    /// on every core; then each is decided and acted on in turn (so a message sees what the ones before it opened) in
    /// one transaction for the batch, each behind a savepoint so one that fails is quarantined alone. A request and the
    /// message that opened it commit together, so a crash redelivers the batch and nothing is processed twice; lifecycles
    /// start and jobs are queued after the commit. The channel acknowledges (flags, moves) after this returns.
    /// </summary>
    /// <param name="envelope">What the channel knows of where the batch came from (a mailbox's upstream), the same for every message.</param>
    public async Task<IReadOnlyList<IntakeResult>> ReceiveBatchAsync(IReadOnlyList<IncomingMail> messages, IntakeSource source,
        CancellationToken cancellationToken, IntakeEnvelope? envelope = null)
    {
        await using var batch = await RecordBatchAsync(messages, source, cancellationToken, envelope);
        return await batch.FinishAsync(cancellationToken);
    }

    /// <summary>
    /// The first half of <see cref="ReceiveBatchAsync(IReadOnlyList{IncomingMail}, IntakeSource, CancellationToken, IntakeEnvelope?)"/>:
    /// the originals stored and synced, the batch's hashes locked, its new rows committed and its messages being read on
    /// every core. Nothing is decided yet, so a channel may record its next batch while the one before it is decided
    /// and committed (<see cref="RecordedBatch.FinishAsync"/>), as long as it finishes them in the order it recorded them
    /// and acknowledges a batch only once it has finished. The hashes stay locked until the batch is disposed.
    /// </summary>
    /// <param name="envelope">What the channel knows of where the batch came from (a mailbox's upstream), the same for every message.</param>
    public async Task<RecordedBatch> RecordBatchAsync(IReadOnlyList<IncomingMail> messages, IntakeSource source, CancellationToken cancellationToken,
        IntakeEnvelope? envelope = null)
    {
        var arrivals = messages.Select(m => new Arrival(m.Raw, Convert.ToHexStringLower(SHA256.HashData(m.Raw)), UntrustedText.CleanOrNull(m.SourceReference),
            m.ProviderSpamVerdict)).ToList();
        if (arrivals.Count == 0)
        {
            return new RecordedBatch(_ => Task.FromResult(new RecordedBatch.Finished([], RecordedBatch.NothingToFollow)), () => Task.CompletedTask);
        }
        using (Tracing.Intake.StartActivity("store originals"))
        {
            await store.PutBatchAsync(arrivals.DistinctBy(a => a.Sha256).Select(a => (a.Sha256, a.Raw)).ToList(), cancellationToken);
        }
        db.ChangeTracker.Clear();
        var hashes = arrivals.Select(a => a.Sha256).Distinct(StringComparer.Ordinal).ToArray();
        await db.Database.OpenConnectionAsync(cancellationToken);
        var locked = false;
        async Task ReleaseAsync()
        {
            try
            {
                if (locked)
                {
                    await db.Database.ExecuteSqlAsync(
                        $"SELECT pg_advisory_unlock(k) FROM (SELECT DISTINCT hashtextextended(h, 0) AS k FROM unnest({hashes}) AS h) AS keys", CancellationToken.None);
                }
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }
        try
        {
            // In the order of the lock keys, so two batches sharing messages wait for each other instead of deadlocking.
            await db.Database.ExecuteSqlAsync(
                $"SELECT pg_advisory_lock(k) FROM (SELECT DISTINCT hashtextextended(h, 0) AS k FROM unnest({hashes}) AS h ORDER BY k) AS keys", cancellationToken);
            locked = true;
            return new RecordedBatch(await RecordLockedBatchAsync(arrivals, hashes, source, envelope, cancellationToken), ReleaseAsync);
        }
        catch
        {
            await ReleaseAsync();
            throw;
        }
    }

    private sealed record Arrival(byte[] Raw, string Sha256, string? Reference, SpamVerdict? ProviderSpamVerdict);

    /// <summary>Records the batch and starts reading it; returns what finishes it (decides, acts, commits).</summary>
    private async Task<Func<CancellationToken, Task<RecordedBatch.Finished>>> RecordLockedBatchAsync(List<Arrival> arrivals, string[] hashes,
        IntakeSource source, IntakeEnvelope? envelope, CancellationToken cancellationToken)
    {
        // Recorded first: the rows these bytes have already, and one new row each for the rest, committed together.
        var stage = Tracing.Intake.StartActivity("record rows");
        var rows = await db.Set<InboundMessage>().Where(m => hashes.Contains(m.RawSha256)).ToDictionaryAsync(m => m.RawSha256, StringComparer.Ordinal, cancellationToken);
        var toProcess = new InboundMessage?[arrivals.Count];
        var firstOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var now = clock.GetUtcNow();
        for (var i = 0; i < arrivals.Count; i++)
        {
            var arrival = arrivals[i];
            var row = rows.GetValueOrDefault(arrival.Sha256);
            if (!firstOf.TryAdd(arrival.Sha256, i) || row is { Classification: not IntakeClassification.Pending })
            {
                // A second delivery of bytes taken in before, or earlier in this batch: counted, not processed again.
                row!.CountRedelivery();
                continue;
            }
            if (row is null)
            {
                row = InboundMessage.Arrive(arrival.Sha256, arrival.Raw.LongLength, source, arrival.Reference, now);
                db.Add(row);
                rows[arrival.Sha256] = row;
            }
            toProcess[i] = row;
        }
        try
        {
            // The new rows copied in one statement.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.SaveChangesInBulkAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            stage?.Dispose();
        }
        catch (Exception e) when ((e as PostgresException ?? e.InnerException as PostgresException) is { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // A door that does not take the lock (a held web form) recorded one of these bytes meanwhile: one at a time, then,
            // when the batch is finished (after the batches recorded before it).
            db.ChangeTracker.Clear();
            return async token =>
            {
                var results = new List<IntakeResult>(arrivals.Count);
                foreach (var arrival in arrivals)
                {
                    db.ChangeTracker.Clear();
                    results.Add(await ReceiveLockedAsync(arrival.Raw, arrival.Sha256, source, arrival.Reference, envelope, stored: true, token));
                }
                // Each message's follow-ups ran with it.
                return new RecordedBatch.Finished(results, RecordedBatch.NothingToFollow);
            };
        }

        // Read on every core (the CPU-bound part), each under the per-message time limit once it starts. Not disposed: a
        // reading still running when the batch fails (cancelled) releases it afterwards.
        var cores = new SemaphoreSlim(Environment.ProcessorCount);
        var readings = toProcess.Select((row, i) => row is null ? null : Task.Run(async () =>
        {
            await cores.WaitAsync(cancellationToken);
            try
            {
                return await analyzer.ReadAsync(arrivals[i].Raw, envelope, cancellationToken);
            }
            finally
            {
                cores.Release();
            }
        }, cancellationToken)).ToArray();
        return token => FinishLockedBatchAsync(arrivals, toProcess, firstOf, rows, readings, envelope, token);
    }

    /// <summary>Decides and acts on a recorded batch's messages in turn, in one transaction (or, if that fails, one at a time).</summary>
    private async Task<RecordedBatch.Finished> FinishLockedBatchAsync(List<Arrival> arrivals, InboundMessage?[] toProcess, Dictionary<string, int> firstOf,
        Dictionary<string, InboundMessage> rows, Task<MailReading>?[] readings, IntakeEnvelope? envelope, CancellationToken cancellationToken)
    {
        var outcomes = new IntakeResult?[arrivals.Count];
        // Outside the batch's transaction (the fallback below) each message's follow-ups run as it is taken in.
        var followUp = RecordedBatch.NothingToFollow;
        try
        {
            followUp = await ProcessInOneTransactionAsync(arrivals, toProcess, readings, outcomes, envelope, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Rolled back whole (its rows stay recorded, unprocessed): taken in again one message at a time, each in a
            // transaction of its own, so the one that cannot be processed is quarantined alone and the others go through.
            log.LogWarning(e, "A batch of {Count} messages could not be taken in together; taking them in one at a time", arrivals.Count);
            db.ChangeTracker.Clear();
            var ids = toProcess.OfType<InboundMessage>().Select(m => m.Id).ToList();
            var fresh = await db.Set<InboundMessage>().Where(m => ids.Contains(m.Id)).ToDictionaryAsync(m => m.Id, cancellationToken);
            for (var i = 0; i < arrivals.Count; i++)
            {
                if (toProcess[i] is not { } inbound)
                {
                    continue;
                }
                db.ChangeTracker.Clear();
                var row = fresh[inbound.Id];
                db.Attach(row);
                var reading = await readings[i]!;
                outcomes[i] = arrivals[i].ProviderSpamVerdict is { } verdict
                    ? await HoldAsSpamAsync(row, reading, verdict, cancellationToken)
                    : await ProcessAsync(row, arrivals[i].Raw, cancellationToken, envelope: envelope, reading: reading);
            }
        }

        db.ChangeTracker.Clear();
        var answers = new List<IntakeResult>(arrivals.Count);
        for (var i = 0; i < arrivals.Count; i++)
        {
            var first = firstOf[arrivals[i].Sha256];
            answers.Add(outcomes[i] ?? (first != i && outcomes[first] is { } earlier
                ? earlier with { Duplicate = true }
                : await ResultOfAsync(rows[arrivals[i].Sha256], duplicate: true, cancellationToken)));
        }
        return new RecordedBatch.Finished(answers, followUp);
    }

    /// <summary>
    /// The batch's messages decided and acted on in turn inside one transaction, so the batch costs one commit; returns
    /// what follows the commit (lifecycles started, jobs queued, replies' listeners told), for the caller to run. Any
    /// failure rolls the whole transaction back and is thrown.
    /// </summary>
    private async Task<Func<CancellationToken, Task>> ProcessInOneTransactionAsync(List<Arrival> arrivals, InboundMessage?[] toProcess, Task<MailReading>?[] readings, IntakeResult?[] outcomes,
        IntakeEnvelope? envelope, CancellationToken cancellationToken)
    {
        _afterCommit = [];
        _openedInBatch = [];
        // Nothing is rolled back part way: a failure rolls back the batch, so EF's savepoint around every save would only add round trips.
        db.Database.AutoSavepointsEnabled = false;
        try
        {
            await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
            {
                var stage = Tracing.Intake.StartActivity("wait for readings");
                await Task.WhenAll(readings.OfType<Task<MailReading>>());
                // One query for the batch instead of one a message: which of its Message-IDs were taken in before it.
                stage = Tracing.Intake.Next(stage, "batch lookups");
                var messageIds = new List<string>();
                foreach (var reading in readings)
                {
                    if (reading is not null && (await reading).Facts?.Message.MessageId is { Length: > 0 } id)
                    {
                        messageIds.Add(id);
                    }
                }
                _takenMessageIds = (await TakenIn(db.Set<InboundMessage>(), messageIds).Select(m => m.InternetMessageId!).Distinct().ToListAsync(cancellationToken))
                    .ToHashSet(StringComparer.Ordinal);
                // And a few for every request the batch's messages could name, instead of a few a message.
                var facts = new List<MailFacts>();
                for (var i = 0; i < arrivals.Count; i++)
                {
                    if (toProcess[i] is not null && arrivals[i].ProviderSpamVerdict is null && (await readings[i]!).Facts is { } read)
                    {
                        facts.Add(read);
                    }
                }
                _batchThreads = await BatchThreadLookup.LoadAsync(db, dataSource, clock, options.Value, facts, cancellationToken);
                var requestsAhead = facts.Count(f => f.Draft is not null);
                stage = Tracing.Intake.Next(stage, "decide and act");
                for (var i = 0; i < arrivals.Count; i++)
                {
                    if (toProcess[i] is not { } inbound)
                    {
                        continue;
                    }
                    db.Attach(inbound);
                    var reading = await readings[i]!;
                    if (arrivals[i].ProviderSpamVerdict is null && reading.Facts?.Draft is not null)
                    {
                        requestsAhead--;
                    }
                    // Tracking numbers for this message's request and those that may follow it in the batch, drawn together.
                    _requestsAhead = requestsAhead;
                    outcomes[i] = arrivals[i].ProviderSpamVerdict is { } verdict
                        ? await HoldAsSpamAsync(inbound, reading, verdict, cancellationToken)
                        : await ProcessAsync(inbound, arrivals[i].Raw, cancellationToken, envelope: envelope, reading: reading);
                    if (outcomes[i]!.Classification is not (IntakeClassification.Pending or IntakeClassification.Quarantined or IntakeClassification.Spam)
                        && reading.Facts?.Message.MessageId is { Length: > 0 } taken)
                    {
                        _takenMessageIds.Add(taken);
                    }
                }
                // The batch's rows, which waited for this one save, and the tracking numbers drawn ahead but not used given back.
                stage = Tracing.Intake.Next(stage, "save");
                await submit.ReturnUnusedNumbersAsync(cancellationToken);
                await db.SaveChangesInBulkAsync(cancellationToken);
                stage = Tracing.Intake.Next(stage, "commit");
                await transaction.CommitAsync(cancellationToken);
                stage?.Dispose();
            }
            var committed = _afterCommit;
            var opened = _openedInBatch;
            return async token =>
            {
                using (Tracing.Intake.StartActivity("after commit"))
                {
                    await submit.AnnounceAllAsync(opened, token);
                    foreach (var action in committed)
                    {
                        await RunAfterCommitAsync(action, token);
                    }
                }
            };
        }
        finally
        {
            _afterCommit = null;
            _openedInBatch = null;
            _takenMessageIds = null;
            _batchThreads = null;
            _requestsAhead = 0;
            db.Database.AutoSavepointsEnabled = true;
        }
    }

    /// <summary>
    /// The tracked entries as their states stand, without scanning every tracked value for changes: a message's changes
    /// are all saved, or marked by <see cref="SaveOrDeferAsync"/>, before the next message starts.
    /// </summary>
    private List<Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry> TrackedAsMarked()
    {
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            return db.ChangeTracker.Entries().ToList();
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = true;
        }
    }

    /// <summary>
    /// Saves a message's outcome: its own row and what it added (a request with its clocks and timeline message, a
    /// reply on a timeline). Inside a batch nothing is saved alone: the rows stay tracked and are saved together at the
    /// batch's end, a few round trips for the whole batch, in the same transaction. Later messages of the batch see them
    /// through the batch's thread lookup (<see cref="BatchThreadLookup"/>), and the Message-ID check saves them first.
    /// </summary>
    private Task SaveOrDeferAsync(InboundMessage inbound, CancellationToken cancellationToken)
    {
        if (_afterCommit is null)
        {
            return db.SaveChangesAsync(cancellationToken);
        }
        // Marked modified now (its own values compared, not the whole tracker's), so the batch's save writes it; the
        // rows the message added are tracked as added already.
        db.Entry(inbound).DetectChanges();
        return Task.CompletedTask;
    }

    /// <summary>Inside a batch, its thread lookups, answered from memory; null outside one.</summary>
    private BatchThreadLookup? _batchThreads;

    /// <summary>Inside a batch, how many of the messages after this one may open a request (their tracking numbers are drawn with this one's).</summary>
    private int _requestsAhead;

    /// <summary>Inside a batch, the Message-IDs taken in before this message (before the batch, or earlier in it); null outside one.</summary>
    private HashSet<string>? _takenMessageIds;

    /// <summary>
    /// The rows that count as an earlier copy of a message with one of these Message-IDs: held mail (quarantine, spam)
    /// is not a copy to point at, since it may be released, and then the later copy counts.
    /// </summary>
    private static IQueryable<InboundMessage> TakenIn(IQueryable<InboundMessage> rows, List<string> messageIds) =>
        rows.AsNoTracking().Where(m => messageIds.Contains(m.InternetMessageId!) && m.Classification != IntakeClassification.Pending
            && m.Classification != IntakeClassification.Quarantined && m.Classification != IntakeClassification.Spam);

    /// <summary>Inside a batch, the requests it opened, announced together after its commit; null outside one.</summary>
    private List<Request>? _openedInBatch;

    /// <summary>Inside a batch, what must follow its commit (a queued job, a reply's listeners); null outside one.</summary>
    private List<Func<CancellationToken, Task>>? _afterCommit;

    /// <summary>Runs work that refers to rows just saved once they are committed: at once outside a batch, after the batch's commit inside one.</summary>
    private async Task AfterCommitAsync(Func<CancellationToken, Task> action, CancellationToken cancellationToken)
    {
        if (_afterCommit is { } pending)
        {
            pending.Add(action);
            return;
        }
        await action(cancellationToken);
    }

    private async Task RunAfterCommitAsync(Func<CancellationToken, Task> action, CancellationToken cancellationToken)
    {
        try
        {
            await action(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The messages are committed and must not be processed again; what failed here is recovered by its own sweep.
            log.LogError(e, "After taking in a batch of mail, a follow-up step failed");
        }
    }

    /// <summary>
    /// The mail system that delivered it judged it spam: held on the spam list, described from its headers, unprocessed;
    /// "Release" on the spam list runs it through intake as if it had just arrived.
    /// </summary>
    private Task<IntakeResult> HoldAsSpamAsync(InboundMessage inbound, MailReading reading, SpamVerdict verdict, CancellationToken cancellationToken)
    {
        var message = reading.Facts?.Message;
        inbound.Describe(message?.MessageId, message?.Subject, message?.From.Mailboxes.FirstOrDefault()?.Address);
        return HoldAsSpamAsync(inbound, verdict.Reason, cancellationToken);
    }

    /// <summary>
    /// Holds a PostgreSQL advisory lock on the message's hash while it is processed, so the same bytes arriving twice at
    /// once (an SMTP retry, two pollers) wait for each other instead of both opening a request.
    /// </summary>
    private async Task<IntakeResult> WithMessageLockAsync(string sha256, Func<Task<IntakeResult>> work, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock(hashtextextended({sha256}, 0))", cancellationToken);
            try
            {
                return await work();
            }
            finally
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock(hashtextextended({sha256}, 0))", CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <param name="stored">The caller stored and synced the bytes already (a batch).</param>
    private async Task<IntakeResult> ReceiveLockedAsync(byte[] raw, string sha256, IntakeSource source, string? sourceReference, IntakeEnvelope? envelope,
        bool stored, CancellationToken cancellationToken)
    {
        var existing = await db.Set<InboundMessage>().SingleOrDefaultAsync(m => m.RawSha256 == sha256, cancellationToken);
        if (existing is not null && existing.Classification != IntakeClassification.Pending)
        {
            existing.CountRedelivery();
            await db.SaveChangesAsync(cancellationToken);
            return await ResultOfAsync(existing, duplicate: true, cancellationToken);
        }

        if (!stored)
        {
            // Durable before the row that records it, and before the channel is told it was taken.
            await store.PutAsync(raw, cancellationToken);
        }
        var inbound = existing;
        if (inbound is null)
        {
            inbound = InboundMessage.Arrive(sha256, raw.LongLength, source, sourceReference, clock.GetUtcNow());
            db.Add(inbound);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                // The same bytes arrived on another channel at the same moment; that delivery processes them.
                db.ChangeTracker.Clear();
                var winner = await db.Set<InboundMessage>().SingleAsync(m => m.RawSha256 == sha256, cancellationToken);
                return await ResultOfAsync(winner, duplicate: true, cancellationToken);
            }
        }
        return await ProcessAsync(inbound, raw, cancellationToken, envelope: envelope);
    }

    /// <summary>
    /// Stores a message and puts it straight on the officers' quarantine list with the reason, unprocessed: what a
    /// door suspects (a bot that filled the form's hidden field) is kept for a person to judge, never discarded and never
    /// answered automatically. "Open as request" on the quarantine page processes it as usual.
    /// </summary>
    public Task<IntakeResult> HoldAsync(byte[] raw, IntakeSource source, string? sourceReference, string reason, CancellationToken cancellationToken) =>
        StoreUnprocessedAsync(raw, source, sourceReference, inbound => QuarantineAsync(inbound, reason, cancellationToken), cancellationToken);

    private async Task<IntakeResult> StoreUnprocessedAsync(byte[] raw, IntakeSource source, string? sourceReference, Func<InboundMessage, Task<IntakeResult>> hold,
        CancellationToken cancellationToken)
    {
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(raw));
        sourceReference = UntrustedText.CleanOrNull(sourceReference);
        if (await db.Set<InboundMessage>().SingleOrDefaultAsync(m => m.RawSha256 == sha256, cancellationToken) is { } existing)
        {
            existing.CountRedelivery();
            await db.SaveChangesAsync(cancellationToken);
            return await ResultOfAsync(existing, duplicate: true, cancellationToken);
        }
        await store.PutAsync(raw, cancellationToken);
        var inbound = InboundMessage.Arrive(sha256, raw.LongLength, source, sourceReference, clock.GetUtcNow());
        var parsed = analyzer.Parser.Parse(raw, cancellationToken).Message;
        inbound.Describe(parsed?.MessageId, parsed?.Subject, parsed?.From.Mailboxes.FirstOrDefault()?.Address);
        db.Add(inbound);
        return await hold(inbound);
    }

    /// <summary>
    /// Processes a stored message again, after an officer released it from quarantine (it then opens a request unless
    /// it threads onto one) or from the spam list (it then goes through intake as it would have on arrival, without the
    /// spam verdict). Either way it keeps its arrival time, from which a request's clocks count.
    /// </summary>
    public async Task<IntakeResult> ReprocessAsync(Guid inboundId, CancellationToken cancellationToken)
    {
        var inbound = await db.Set<InboundMessage>().SingleAsync(m => m.Id == inboundId, cancellationToken);
        if (inbound.Classification != IntakeClassification.Pending)
        {
            return await ResultOfAsync(inbound, duplicate: true, cancellationToken);
        }
        var raw = await store.ReadAllBytesAsync(inbound.RawSha256, cancellationToken);
        return await WithMessageLockAsync(inbound.RawSha256,
            () => ProcessAsync(inbound, raw, cancellationToken, forceNewRequest: inbound.ReclassifiedBy is not null), cancellationToken);
    }

    /// <param name="reading">The message already read (a batch reads its messages on every core first).</param>
    private async Task<IntakeResult> ProcessAsync(InboundMessage inbound, byte[] raw, CancellationToken cancellationToken, bool forceNewRequest = false,
        IntakeEnvelope? envelope = null, MailReading? reading = null)
    {
        // Inside a batch's transaction a failure is the batch's: it is rolled back and taken in again a message at a time.
        var inBatch = _afterCommit is not null;
        var analysis = await analyzer.AnalyzeAsync(raw, (IThreadLookup?)_batchThreads ?? threads, cancellationToken, envelope,
            releasedFromSpam: inbound.ReleasedFromSpamBy is not null, reading);
        if (analysis.Spam is { } score)
        {
            inbound.NoteSpamScore(score);
        }
        var message = analysis.Facts?.Message;
        if (message is null && analyzer.Parser.Headline(raw) is { } headline)
        {
            inbound.Describe(headline.MessageId, headline.Subject, headline.From);
        }
        else
        {
            inbound.Describe(message?.MessageId, message?.Subject, analysis.Facts?.Sender?.Address ?? message?.From.Mailboxes.FirstOrDefault()?.Address);
        }
        if (analysis.Sender is { } sender)
        {
            inbound.NoteSenderVerification(sender.Summary);
        }
        var decision = analysis.Decision;
        if (inbound.ReleasedFromSpamBy is { } releasedBy && decision.Classification == IntakeClassification.Request)
        {
            decision = decision with { Reason = $"{decision.Reason}; released from the spam list by {releasedBy}" };
        }

        // Same Message-ID with different bytes: the copy that arrived through another path (IMAP and SMTP, a resend).
        // Held mail (quarantine, spam) is not a copy to point at: it may be released, and then this one counts.
        // Inside a batch, looked for only when the batch's one query (or a message before it in the batch) found one.
        if (message?.MessageId is { Length: > 0 } messageId && decision.Classification is not (IntakeClassification.Quarantined or IntakeClassification.Spam)
            && _takenMessageIds?.Contains(messageId) != false)
        {
            if (inBatch && TrackedAsMarked().Any(e => e.Entity is InboundMessage && e.Entity != inbound && e.State == EntityState.Modified))
            {
                // The earlier copy may be a row of this batch still waiting for its save (SaveOrDeferAsync).
                await db.SaveChangesAsync(cancellationToken);
            }
            var earlier = await TakenIn(db.Set<InboundMessage>(), [messageId]).Where(m => m.Id != inbound.Id)
                .OrderBy(m => m.ReceivedAt).FirstOrDefaultAsync(cancellationToken);
            if (earlier is not null)
            {
                inbound.Classify(earlier.Classification, $"same Message-ID as the message received {earlier.ReceivedAt:u}; not processed again",
                    earlier.RequestId, null, clock.GetUtcNow());
                await db.SaveChangesAsync(cancellationToken);
                return await ResultOfAsync(inbound, duplicate: true, cancellationToken);
            }
        }

        // An officer released this message from quarantine: it opens a request unless it threads onto one.
        if (forceNewRequest && decision.Classification is IntakeClassification.Quarantined or IntakeClassification.Automated or IntakeClassification.UnprovenReply
            && analysis.Facts is { } facts
            && facts.Sender is not null)
        {
            var draft = facts.Draft ?? new MailClassifier([]).Draft(facts.Message, facts.Sender, facts.BodyText);
            if (!string.IsNullOrWhiteSpace(draft.Description))
            {
                decision = new IntakeDecision(IntakeClassification.Request, $"released by {inbound.ReclassifiedBy}", Draft: draft);
            }
        }

        try
        {
            return decision.Classification switch
            {
                IntakeClassification.Request => await OpenRequestAsync(inbound, raw, analysis.Facts!, decision, cancellationToken),
                IntakeClassification.Reply => await RecordReplyAsync(inbound, raw, analysis.Facts!, decision, cancellationToken),
                IntakeClassification.Automated => await RecordAutomatedAsync(inbound, raw, analysis.Facts!, decision, cancellationToken),
                IntakeClassification.UnprovenReply => await HoldUnprovenAsync(inbound, decision, cancellationToken),
                IntakeClassification.Spam => await HoldAsSpamAsync(inbound, decision.Reason, cancellationToken),
                _ => await QuarantineAsync(inbound, decision.Reason, cancellationToken),
            };
        }
        catch (Exception e) when (!inBatch && (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested))
        {
            // Nothing is dropped: the raw bytes are stored, and the failure is put where officers look.
            log.LogError(e, "Intake of {Sha256} failed; quarantined", inbound.RawSha256);
            db.ChangeTracker.Clear();
            var fresh = await db.Set<InboundMessage>().SingleAsync(m => m.Id == inbound.Id, CancellationToken.None);
            fresh.Describe(message?.MessageId, message?.Subject, analysis.Facts?.Sender?.Address);
            // The innermost message names the cause (a database refusal, a parser's complaint); the wrapper's says only "see inner".
            return await QuarantineAsync(fresh, $"could not be processed ({e.GetBaseException().GetType().Name}): {UntrustedText.Clean(e.GetBaseException().Message)}",
                CancellationToken.None);
        }
    }

    private async Task<IntakeResult> OpenRequestAsync(InboundMessage inbound, byte[] raw, MailFacts facts, IntakeDecision decision, CancellationToken cancellationToken)
    {
        var draft = decision.Draft!;
        var similar = await FindSimilarAsync(draft, cancellationToken);
        var attachments = new List<Record>();
        Request request;
        // The request and the message that opened it commit together (in the batch's transaction, or one of their own),
        // so a crash leaves either both or neither, and the redelivered message opens it once.
        var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            request = await submit.OpenInTransactionAsync(
                new SubmitRequest.Input { Name = draft.RequesterName, Email = draft.RequesterEmail, Description = draft.Description },
                RequestChannel.Email, draft.CitedLaw, cancellationToken, inbound.ReceivedAt, reserveAhead: _requestsAhead);
            _batchThreads?.Opened(request);
            var timeline = RecordMessage(request.Id, request.TrackingNumber, request.Requester.Email, raw, facts, inbound.ReceivedAt);
            if (draft.Attachments.Count > 0)
            {
                // Durable before the rows that name them, with one sync for the message's attachments.
                var contents = draft.Attachments.Select(a => (Sha256: Convert.ToHexStringLower(SHA256.HashData(a.Content)), a.Content)).ToList();
                await store.PutBatchAsync(contents, cancellationToken);
                attachments.AddRange(draft.Attachments.Zip(contents, (attachment, content) => Record.Attach(request.Id, Clip(attachment.FileName, 500),
                    Clip(attachment.ContentType, 200), attachment.Content.LongLength, content.Sha256, RecordSource.EmailAttachment, "intake", inbound.ReceivedAt)));
            }
            db.Records.AddRange(attachments);
            if (similar is not null)
            {
                inbound.NoteSimilar(similar);
            }
            inbound.Classify(IntakeClassification.Request, decision.Reason, request.Id, timeline.Id, clock.GetUtcNow());
            await SaveOrDeferAsync(inbound, cancellationToken);
            if (own is not null)
            {
                await own.CommitAsync(cancellationToken);
            }
        }
        finally
        {
            if (own is not null)
            {
                await own.DisposeAsync();
            }
        }

        // The acknowledgement is the lifecycle's first step (one door): the request was opened through SubmitRequest,
        // whose announcement starts its lifecycle once it has committed, and a lifecycle whose start was lost is started by
        // the sweep, since the request stays "received" until its acknowledgement is sent.
        var ids = attachments.Select(a => a.Id).ToList();
        // Decided now, not when the action runs: by then the batch has let go of its list.
        var announcedWithBatch = _openedInBatch is not null;
        // Announced with the batch's other requests once it has committed, so their lifecycles start together.
        _openedInBatch?.Add(request);
        await AfterCommitAsync(async token =>
        {
            if (!announcedWithBatch)
            {
                await submit.AnnounceAsync(request, token);
            }
            foreach (var id in ids)
            {
                RecordPages.Enqueue(jobs, id);
            }
        }, cancellationToken);
        return Result(inbound, request.TrackingNumber);
    }

    private async Task<IntakeResult> RecordReplyAsync(InboundMessage inbound, byte[] raw, MailFacts facts, IntakeDecision decision, CancellationToken cancellationToken)
    {
        var thread = decision.Thread!;
        var timeline = RecordMessage(thread.RequestId, thread.TrackingNumber, thread.RequesterEmail, raw, facts, inbound.ReceivedAt);
        inbound.Classify(IntakeClassification.Reply, decision.Reason, thread.RequestId, timeline.Id, clock.GetUtcNow());
        await SaveOrDeferAsync(inbound, cancellationToken);
        await AfterCommitAsync(token => TellListenersAsync(thread, timeline, facts.Sender?.Address, inbound.ReceivedAt, token), cancellationToken);
        return Result(inbound, thread.TrackingNumber);
    }

    /// <summary>Nothing joins the request: the message waits on the officers' list with the request it names and why it was held.</summary>
    private async Task<IntakeResult> HoldUnprovenAsync(InboundMessage inbound, IntakeDecision decision, CancellationToken cancellationToken)
    {
        inbound.HoldAsUnproven(decision.Thread!.RequestId, decision.Reason, clock.GetUtcNow());
        await SaveOrDeferAsync(inbound, cancellationToken);
        log.LogWarning("Held inbound message {Id} naming {TrackingNumber}: {Reason}", inbound.Id, decision.Thread.TrackingNumber, decision.Reason);
        return Result(inbound, null);
    }

    /// <summary>
    /// An officer judged a held message to be the requester's: it joins the request it named, and the workflow hears of
    /// it as of any proven reply. The officer's name is on the intake record.
    /// </summary>
    public async Task<IntakeResult> ConfirmReplyAsync(Guid inboundId, string officer, CancellationToken cancellationToken)
    {
        var inbound = await db.Set<InboundMessage>().SingleAsync(m => m.Id == inboundId, cancellationToken);
        var raw = await store.ReadAllBytesAsync(inbound.RawSha256, cancellationToken);
        var analysis = await analyzer.AnalyzeAsync(raw, threads, cancellationToken);
        if (analysis.Facts is not { } facts || inbound.ClaimedRequestId is not { } requestId)
        {
            throw new DomainException("This message cannot be added to a request.");
        }
        var thread = await db.Requests.AsNoTracking().Where(r => r.Id == requestId)
            .Select(r => new ThreadMatch(r.Id, r.TrackingNumber, "confirmed by an officer", true, r.Requester.Email)).SingleAsync(cancellationToken);
        var timeline = RecordMessage(thread.RequestId, thread.TrackingNumber, thread.RequesterEmail, raw, facts, inbound.ReceivedAt);
        inbound.ConfirmReply(officer, timeline.Id, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        await TellListenersAsync(thread, timeline, facts.Sender?.Address, inbound.ReceivedAt, cancellationToken);
        return Result(inbound, thread.TrackingNumber);
    }

    private async Task TellListenersAsync(ThreadMatch thread, Message timeline, string? from, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var reply = new RequestReply(thread.RequestId, thread.TrackingNumber, timeline.Id, from, timeline.Subject, timeline.BodyText, receivedAt);
        foreach (var listener in replyListeners)
        {
            try
            {
                await listener.OnReplyReceivedAsync(reply, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "Reply listener {Listener} failed for {TrackingNumber}", listener.GetType().Name, thread.TrackingNumber);
            }
        }
    }

    private async Task<IntakeResult> RecordAutomatedAsync(InboundMessage inbound, byte[] raw, MailFacts facts, IntakeDecision decision, CancellationToken cancellationToken)
    {
        Guid? timelineId = null;
        if (decision.Thread is { } thread)
        {
            timelineId = RecordMessage(thread.RequestId, thread.TrackingNumber, thread.RequesterEmail, raw, facts, inbound.ReceivedAt).Id;
        }
        inbound.Classify(IntakeClassification.Automated, decision.Reason, decision.Thread?.RequestId, timelineId, clock.GetUtcNow());
        await SaveOrDeferAsync(inbound, cancellationToken);
        return Result(inbound, decision.Thread?.TrackingNumber);
    }

    private async Task<IntakeResult> HoldAsSpamAsync(InboundMessage inbound, string reason, CancellationToken cancellationToken)
    {
        inbound.HoldAsSpam(reason, clock.GetUtcNow());
        await SaveOrDeferAsync(inbound, cancellationToken);
        log.LogInformation("Held inbound message {Id} as spam: {Reason}", inbound.Id, reason);
        return Result(inbound, null);
    }

    private async Task<IntakeResult> QuarantineAsync(InboundMessage inbound, string reason, CancellationToken cancellationToken)
    {
        inbound.Classify(IntakeClassification.Quarantined, reason, null, null, clock.GetUtcNow());
        await SaveOrDeferAsync(inbound, cancellationToken);
        log.LogWarning("Quarantined inbound message {Id}: {Reason}", inbound.Id, reason);
        return Result(inbound, null);
    }

    /// <param name="trackingNumber">The request's, and <paramref name="requesterEmail"/> its requester's: inside a batch, the later messages'
    /// thread lookups find the message by them.</param>
    private Message RecordMessage(Guid requestId, string trackingNumber, string? requesterEmail, byte[] raw, MailFacts facts, DateTimeOffset receivedAt)
    {
        var message = facts.Message;
        var entry = Message.Record(requestId, MessageDirection.Inbound, RequestChannel.Email, Clip(message.Subject ?? "", 2000),
            ClipOrNull(facts.Sender?.Address ?? message.From.Mailboxes.FirstOrDefault()?.Address, 1000),
            Clip(string.Join(", ", message.To.Mailboxes.Select(m => m.Address)), 4000), facts.BodyText, raw,
            ClipOrNull(message.MessageId, 1000), receivedAt);
        db.Messages.Add(entry);
        _batchThreads?.Recorded(requestId, trackingNumber, requesterEmail, entry);
        return entry;
    }

    /// <summary>A hint, not a decision: officers may close a repeat as a duplicate, but the law does not let intake refuse it.</summary>
    private async Task<string?> FindSimilarAsync(RequestDraft draft, CancellationToken cancellationToken)
    {
        var since = clock.GetUtcNow() - options.Value.SimilarRequestWindow;
        var recent = _batchThreads is { } batch
            ? (await batch.RecentRequestsOfAsync(draft.RequesterEmail, cancellationToken)).Select(r => new { r.TrackingNumber, r.Description }).ToList()
            : await db.Requests.AsNoTracking()
                .Where(r => r.Requester.Email == draft.RequesterEmail && r.ReceivedAt >= since)
                .OrderByDescending(r => r.ReceivedAt).Take(BatchThreadLookup.SimilarRequestCandidates)
                .Select(r => new { r.TrackingNumber, r.Description }).ToListAsync(cancellationToken);
        if (recent.Count == 0)
        {
            return null;
        }
        // Kept with the others: a later request of the same requester in this batch is compared with this one.
        var shingles = ShinglesOf(draft.Description);
        return recent.Select(r => (r.TrackingNumber, Score: SimilarText.Jaccard(shingles, ShinglesOf(r.Description))))
            .Where(r => r.Score >= options.Value.SimilarRequestThreshold)
            .OrderByDescending(r => r.Score)
            .Select(r => FormattableString.Invariant($"{r.TrackingNumber} (similarity {r.Score:0.00})"))
            .FirstOrDefault();
    }

    /// <summary>
    /// The shingles of requests' descriptions, kept while this intake lives (a batch): a requester writing often is compared
    /// with the same recent requests again and again, among them the ones the batch opened, and cutting their words was
    /// most of the comparison.
    /// </summary>
    private readonly Dictionary<string, HashSet<long>> _shingles = new(StringComparer.Ordinal);

    private HashSet<long> ShinglesOf(string description)
    {
        if (!_shingles.TryGetValue(description, out var shingles))
        {
            shingles = SimilarText.Shingles(description);
            _shingles[description] = shingles;
        }
        return shingles;
    }

    private async Task<IntakeResult> ResultOfAsync(InboundMessage inbound, bool duplicate, CancellationToken cancellationToken)
    {
        var tracking = inbound.RequestId is { } id
            ? await db.Requests.AsNoTracking().Where(r => r.Id == id).Select(r => r.TrackingNumber).SingleAsync(cancellationToken)
            : null;
        return Result(inbound, tracking) with { Duplicate = duplicate };
    }

    private static IntakeResult Result(InboundMessage inbound, string? trackingNumber) =>
        new(inbound.Classification, inbound.Reason ?? "", inbound.InternetMessageId, inbound.Subject, inbound.FromAddress, trackingNumber,
            SimilarTo: inbound.SimilarTo, InboundId: inbound.Id);

    private static string Clip(string value, int length) => value.Length <= length ? value : value[..length];

    private static string? ClipOrNull(string? value, int length) => value is null ? null : Clip(value, length);
}
