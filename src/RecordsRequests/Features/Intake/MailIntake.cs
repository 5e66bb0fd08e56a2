using System.Security.Cryptography;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using Npgsql;
using RecordsRequests.Data;
using RecordsRequests.Features.Correspondence;
using RecordsRequests.Features.Documents;
using RecordsRequests.Features.Messages;
using RecordsRequests.Features.Records;
using RecordsRequests.Features.Requests;
using RecordsRequests.Features.Shared;

namespace RecordsRequests.Features.Intake;

/// <summary>
/// The single entry point for inbound mail, whatever the channel. Raw first: the exact bytes are stored
/// content-addressed and an <see cref="InboundMessage"/> row is committed before parsing starts, so nothing that
/// arrived can be lost by a parser failure or a crash. Parsing and reading the message run under a time limit. A
/// second delivery of the same bytes, or of the same Message-ID, is recognised and not processed twice.
/// </summary>
public sealed class MailIntake(
    AppDbContext db,
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

    /// <summary>
    /// Takes in what one channel fetched together (an IMAP poll, the messages of a drop-folder file): the originals of the
    /// whole batch are stored and synced to disk at once, one sync instead of one per message, and only then is each
    /// recorded and processed as <see cref="ReceiveAsync"/> would. The channel acknowledges (flags, moves) after this returns.
    /// </summary>
    public async Task<IReadOnlyList<IntakeResult>> ReceiveBatchAsync(IReadOnlyList<(byte[] Raw, string? SourceReference)> messages, IntakeSource source,
        CancellationToken cancellationToken)
    {
        var hashed = messages.Select(m => (m.Raw, Sha256: Convert.ToHexStringLower(SHA256.HashData(m.Raw)), Reference: UntrustedText.CleanOrNull(m.SourceReference)))
            .ToList();
        await store.PutBatchAsync(hashed.DistinctBy(m => m.Sha256).Select(m => (m.Sha256, m.Raw)).ToList(), cancellationToken);
        var results = new List<IntakeResult>(hashed.Count);
        foreach (var (raw, sha256, reference) in hashed)
        {
            // Each message as if alone: what one left tracked must not be saved with the next.
            db.ChangeTracker.Clear();
            results.Add(await WithMessageLockAsync(sha256, () => ReceiveLockedAsync(raw, sha256, source, reference, null, stored: true, cancellationToken),
                cancellationToken));
        }
        return results;
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

    /// <summary>
    /// Stores a message the mail system that delivered it judged spam and holds it on the spam list, unprocessed;
    /// "Release" on the spam list runs it through intake as if it had just arrived.
    /// </summary>
    public Task<IntakeResult> HoldAsSpamAsync(byte[] raw, IntakeSource source, string? sourceReference, SpamVerdict verdict, CancellationToken cancellationToken) =>
        StoreUnprocessedAsync(raw, source, sourceReference, inbound => HoldAsSpamAsync(inbound, verdict.Reason, cancellationToken), cancellationToken);

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

    private async Task<IntakeResult> ProcessAsync(InboundMessage inbound, byte[] raw, CancellationToken cancellationToken, bool forceNewRequest = false,
        IntakeEnvelope? envelope = null)
    {
        var analysis = await analyzer.AnalyzeAsync(raw, threads, cancellationToken, envelope, releasedFromSpam: inbound.ReleasedFromSpamBy is not null);
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
        if (message?.MessageId is { Length: > 0 } messageId && decision.Classification is not (IntakeClassification.Quarantined or IntakeClassification.Spam))
        {
            var earlier = await db.Set<InboundMessage>().AsNoTracking()
                .Where(m => m.InternetMessageId == messageId && m.Id != inbound.Id && m.Classification != IntakeClassification.Pending
                    && m.Classification != IntakeClassification.Quarantined && m.Classification != IntakeClassification.Spam)
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
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
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
        var request = await submit.HandleAsync(
            new SubmitRequest.Input { Name = draft.RequesterName, Email = draft.RequesterEmail, Description = draft.Description },
            RequestChannel.Email, draft.CitedLaw, cancellationToken, inbound.ReceivedAt);

        var timeline = RecordMessage(request.Id, raw, facts, inbound.ReceivedAt);
        var attachments = new List<Record>();
        foreach (var attachment in draft.Attachments)
        {
            var stored = await store.PutAsync(attachment.Content, cancellationToken);
            attachments.Add(Record.Attach(request.Id, Clip(attachment.FileName, 500), Clip(attachment.ContentType, 200), stored.Length, stored.Sha256,
                RecordSource.EmailAttachment, "intake", inbound.ReceivedAt));
        }
        db.Records.AddRange(attachments);
        if (similar is not null)
        {
            inbound.NoteSimilar(similar);
        }
        inbound.Classify(IntakeClassification.Request, decision.Reason, request.Id, timeline.Id, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        foreach (var attachment in attachments)
        {
            RecordPages.Enqueue(jobs, attachment.Id);
        }

        // The acknowledgement is the lifecycle's first step (one door): the request was opened through SubmitRequest,
        // which started its lifecycle, and a lifecycle whose start was lost is started by the sweep, since the request
        // stays "received" until its acknowledgement is sent.
        return Result(inbound, request.TrackingNumber);
    }

    private async Task<IntakeResult> RecordReplyAsync(InboundMessage inbound, byte[] raw, MailFacts facts, IntakeDecision decision, CancellationToken cancellationToken)
    {
        var thread = decision.Thread!;
        var timeline = RecordMessage(thread.RequestId, raw, facts, inbound.ReceivedAt);
        inbound.Classify(IntakeClassification.Reply, decision.Reason, thread.RequestId, timeline.Id, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        await TellListenersAsync(thread, timeline, facts.Sender?.Address, inbound.ReceivedAt, cancellationToken);
        return Result(inbound, thread.TrackingNumber);
    }

    /// <summary>Nothing joins the request: the message waits on the officers' list with the request it names and why it was held.</summary>
    private async Task<IntakeResult> HoldUnprovenAsync(InboundMessage inbound, IntakeDecision decision, CancellationToken cancellationToken)
    {
        inbound.HoldAsUnproven(decision.Thread!.RequestId, decision.Reason, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
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
        var timeline = RecordMessage(thread.RequestId, raw, facts, inbound.ReceivedAt);
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
            timelineId = RecordMessage(thread.RequestId, raw, facts, inbound.ReceivedAt).Id;
        }
        inbound.Classify(IntakeClassification.Automated, decision.Reason, decision.Thread?.RequestId, timelineId, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return Result(inbound, decision.Thread?.TrackingNumber);
    }

    private async Task<IntakeResult> HoldAsSpamAsync(InboundMessage inbound, string reason, CancellationToken cancellationToken)
    {
        inbound.HoldAsSpam(reason, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        log.LogInformation("Held inbound message {Id} as spam: {Reason}", inbound.Id, reason);
        return Result(inbound, null);
    }

    private async Task<IntakeResult> QuarantineAsync(InboundMessage inbound, string reason, CancellationToken cancellationToken)
    {
        inbound.Classify(IntakeClassification.Quarantined, reason, null, null, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        log.LogWarning("Quarantined inbound message {Id}: {Reason}", inbound.Id, reason);
        return Result(inbound, null);
    }

    private Message RecordMessage(Guid requestId, byte[] raw, MailFacts facts, DateTimeOffset receivedAt)
    {
        var message = facts.Message;
        var entry = Message.Record(requestId, MessageDirection.Inbound, RequestChannel.Email, Clip(message.Subject ?? "", 2000),
            ClipOrNull(facts.Sender?.Address ?? message.From.Mailboxes.FirstOrDefault()?.Address, 1000),
            Clip(string.Join(", ", message.To.Mailboxes.Select(m => m.Address)), 4000), facts.BodyText, raw,
            ClipOrNull(message.MessageId, 1000), receivedAt);
        db.Messages.Add(entry);
        return entry;
    }

    /// <summary>A hint, not a decision: officers may close a repeat as a duplicate, but the law does not let intake refuse it.</summary>
    private async Task<string?> FindSimilarAsync(RequestDraft draft, CancellationToken cancellationToken)
    {
        var since = clock.GetUtcNow() - options.Value.SimilarRequestWindow;
        var recent = await db.Requests.AsNoTracking()
            .Where(r => r.Requester.Email == draft.RequesterEmail && r.ReceivedAt >= since)
            .OrderByDescending(r => r.ReceivedAt).Take(50)
            .Select(r => new { r.TrackingNumber, r.Description }).ToListAsync(cancellationToken);
        var shingles = SimilarText.Shingles(draft.Description);
        return recent.Select(r => (r.TrackingNumber, Score: SimilarText.Jaccard(shingles, SimilarText.Shingles(r.Description))))
            .Where(r => r.Score >= options.Value.SimilarRequestThreshold)
            .OrderByDescending(r => r.Score)
            .Select(r => FormattableString.Invariant($"{r.TrackingNumber} (similarity {r.Score:0.00})"))
            .FirstOrDefault();
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
