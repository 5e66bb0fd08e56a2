using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using RecordsRequests.Data;
using RecordsRequests.Features.Mail;
using RecordsRequests.Features.Messages;
using RecordsRequests.Features.Requests;
using RecordsRequests.Features.Status;

namespace RecordsRequests.Features.Intake;

/// <summary>
/// The thread lookups of one batch of intake, answered from memory as <see cref="DatabaseThreadLookup"/> would answer
/// them one message at a time. Before the batch's first message is decided, a few queries read every candidate its
/// messages could name (reply tokens, Message-IDs, tracking numbers, their senders' recent conversations and requests,
/// and which of those requests have a confirmed address); as the batch goes on, the requests it opens and the messages
/// it puts on timelines are added (<see cref="Opened"/>, <see cref="Recorded"/>), so a message sees what the ones
/// before it did although nothing is saved until the batch's end. A mailbox catching up sends thousands of messages
/// that each asked the database three to six questions; a batch now asks about six.
/// </summary>
internal sealed class BatchThreadLookup : IThreadLookup
{
    private readonly AppDbContext _db;
    private readonly TimeProvider _clock;
    private readonly IntakeOptions _options;

    private readonly Dictionary<string, Candidate> _byToken = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Candidate> _byOutboundId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Candidate> _byStoredId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Candidate> _byTrackingNumber = new(StringComparer.Ordinal);

    /// <summary>Each requester's conversation (their requests' messages), newest first, by the requester's address as stored.</summary>
    private readonly Dictionary<string, List<Conversation>> _conversations = new(StringComparer.Ordinal);

    /// <summary>Each requester's requests, newest first, by the requester's address as stored.</summary>
    private readonly Dictionary<string, List<Recent>> _requests = new(StringComparer.Ordinal);

    private readonly HashSet<(Guid RequestId, string Email)> _confirmed = [];

    /// <summary>Requests whose confirmations are known here: those read with the batch, and those it opened (which have none yet).</summary>
    private readonly HashSet<Guid> _confirmationsKnown = [];

    private sealed record Candidate(Guid RequestId, string TrackingNumber, string? Email, string? MessageId = null);

    private sealed record Conversation(Guid RequestId, string TrackingNumber, string Subject, string? Email, DateTimeOffset RecordedAt);

    /// <summary>A request of the requester's, for <see cref="MailIntake"/>'s similar-request hint.</summary>
    public sealed record Recent(string TrackingNumber, string Description, DateTimeOffset ReceivedAt);

    private BatchThreadLookup(AppDbContext db, TimeProvider clock, IntakeOptions options) => (_db, _clock, _options) = (db, clock, options);

    /// <summary>
    /// Reads every candidate the batch's messages could name, in one query per kind of reference. The senders' conversations
    /// and requests, the two largest questions, are asked on a connection of their own from <paramref name="dataSource"/>
    /// while the others are asked on the batch's: nothing is written in the batch's transaction before these are read, so
    /// both connections see the same committed rows.
    /// </summary>
    public static async Task<BatchThreadLookup> LoadAsync(AppDbContext db, NpgsqlDataSource dataSource, TimeProvider clock, IntakeOptions options,
        IReadOnlyCollection<MailFacts> batch, CancellationToken cancellationToken)
    {
        var lookup = new BatchThreadLookup(db, clock, options);
        // Every address a message could be matched or compared by: its sender's, and its draft's.
        var addresses = lookup.NotLoaded(batch.SelectMany(f => new[] { f.Sender?.Address.ToLowerInvariant(), f.Draft?.RequesterEmail }).OfType<string>());
        var byAddress = addresses.Length == 0 ? null : lookup.ReadAddressesAloneAsync(dataSource, addresses, cancellationToken);
        try
        {
            await lookup.LoadReferencesAsync(batch, cancellationToken);
        }
        catch
        {
            if (byAddress is not null)
            {
                // Its connection is let go before the failure is reported.
                await byAddress.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
            throw;
        }
        if (byAddress is not null)
        {
            lookup.Add(await byAddress);
        }

        var requestIds = lookup._byStoredId.Values.Concat(lookup._byTrackingNumber.Values).Select(c => c.RequestId)
            .Concat(lookup._conversations.Values.SelectMany(l => l).Select(c => c.RequestId)).Distinct().ToList();
        if (requestIds.Count > 0)
        {
            foreach (var c in await db.Set<AddressConfirmation>().AsNoTracking().Where(c => requestIds.Contains(c.RequestId) && c.ConfirmedAt != null)
                         .Select(c => new { c.RequestId, c.Email }).ToListAsync(cancellationToken))
            {
                lookup._confirmed.Add((c.RequestId, c.Email));
            }
            lookup._confirmationsKnown.UnionWith(requestIds);
        }
        return lookup;
    }

    /// <summary>The candidates the batch's messages name by reference: reply tokens, Message-IDs, tracking numbers.</summary>
    private async Task LoadReferencesAsync(IReadOnlyCollection<MailFacts> batch, CancellationToken cancellationToken)
    {
        var tokens = batch.SelectMany(f => f.ReplyTokens).Distinct(StringComparer.Ordinal).ToList();
        if (tokens.Count > 0)
        {
            foreach (var t in await _db.Set<ReplyToken>().AsNoTracking().Where(t => tokens.Contains(t.Token))
                         .Join(_db.Requests, t => t.RequestId, r => r.Id, (t, r) => new { t.Token, r.Id, r.TrackingNumber, r.Requester.Email })
                         .ToListAsync(cancellationToken))
            {
                _byToken.TryAdd(t.Token, new Candidate(t.Id, t.TrackingNumber, t.Email));
            }
        }

        var ids = batch.SelectMany(f => ThreadMatch.ThreadIds(f.ThreadIds)).Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count > 0)
        {
            foreach (var m in await _db.Set<OutboundEmail>().AsNoTracking().Where(m => m.RequestId != null && ids.Contains(m.InternetMessageId))
                         .Join(_db.Requests, m => m.RequestId, r => r.Id, (m, r) => new { r.Id, r.TrackingNumber, m.InternetMessageId, r.Requester.Email })
                         .ToListAsync(cancellationToken))
            {
                _byOutboundId.TryAdd(m.InternetMessageId, new Candidate(m.Id, m.TrackingNumber, m.Email, m.InternetMessageId));
            }
            foreach (var m in await _db.Messages.AsNoTracking().Where(m => m.RequestId != null && m.InternetMessageId != null && ids.Contains(m.InternetMessageId))
                         .Join(_db.Requests, m => m.RequestId, r => r.Id, (m, r) => new { r.Id, r.TrackingNumber, m.InternetMessageId, r.Requester.Email })
                         .ToListAsync(cancellationToken))
            {
                _byStoredId.TryAdd(m.InternetMessageId!, new Candidate(m.Id, m.TrackingNumber, m.Email, m.InternetMessageId));
            }
        }

        var numbers = batch.Select(f => f.TrackingNumber).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (numbers.Count > 0)
        {
            foreach (var r in await _db.Requests.AsNoTracking().Where(r => numbers.Contains(r.TrackingNumber))
                         .Select(r => new { r.Id, r.TrackingNumber, r.Requester.Email }).ToListAsync(cancellationToken))
            {
                _byTrackingNumber[r.TrackingNumber] = new Candidate(r.Id, r.TrackingNumber, r.Email);
            }
        }
    }

    /// <summary>Addresses whose conversations and requests were read from the database (the batch's own are added as they come).</summary>
    private readonly HashSet<string> _addressesLoaded = new(StringComparer.Ordinal);

    /// <summary>The addresses whose conversations and requests have not been read yet, marked as read from now on.</summary>
    private string[] NotLoaded(IEnumerable<string> addresses) => addresses.Distinct(StringComparer.Ordinal).Where(_addressesLoaded.Add).ToArray();

    /// <summary>
    /// The requesters' conversations and recent requests for addresses met later in the batch, read in its transaction and
    /// appended after what the batch added for them (which is newer than anything stored).
    /// </summary>
    private async Task LoadAddressesAsync(IEnumerable<string> addresses, CancellationToken cancellationToken)
    {
        if (NotLoaded(addresses) is { Length: > 0 } toRead)
        {
            Add(await ReadAddressesAsync((NpgsqlConnection)_db.Database.GetDbConnection(),
                (NpgsqlTransaction?)_db.Database.CurrentTransaction?.GetDbTransaction(), toRead, cancellationToken));
        }
    }

    private async Task<AddressRows> ReadAddressesAloneAsync(NpgsqlDataSource dataSource, string[] addresses, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await ReadAddressesAsync(connection, null, addresses, cancellationToken);
    }

    /// <summary>
    /// Only each requester's newest messages and requests are ever compared (ByRequesterSubjectAsync, the similar-request
    /// hint), so only those are read, each address's by the indexes from its requesters down (a correspondent of years, a
    /// reporter or a lawyer, would otherwise bring every page of intake their whole history), newest first; both in one
    /// round trip.
    /// </summary>
    private async Task<AddressRows> ReadAddressesAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string[] addresses,
        CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("""
                    SELECT c.request_id, c.tracking_number, c.subject, a.email, c.recorded_at
                    FROM unnest($1::text[]) AS a(email)
                    CROSS JOIN LATERAL (
                        SELECT r.id AS request_id, r.tracking_number, m.subject, m.recorded_at
                        FROM requesters q JOIN requests r ON r.requester_id = q.id JOIN messages m ON m.request_id = r.id
                        WHERE q.email = a.email AND m.recorded_at >= $2
                        ORDER BY m.recorded_at DESC
                        LIMIT $3) AS c
                    ORDER BY c.recorded_at DESC
                    """)
                {
                    Parameters = { new() { Value = addresses }, new() { Value = now - _options.RequesterThreadWindow }, new() { Value = ThreadMatch.RequesterThreadCandidates } },
                },
                new NpgsqlBatchCommand("""
                    SELECT a.email, c.tracking_number, c.description, c.received_at
                    FROM unnest($1::text[]) AS a(email)
                    CROSS JOIN LATERAL (
                        SELECT r.tracking_number, r.description, r.received_at
                        FROM requesters q JOIN requests r ON r.requester_id = q.id
                        WHERE q.email = a.email AND r.received_at >= $2
                        ORDER BY r.received_at DESC
                        LIMIT $3) AS c
                    ORDER BY c.received_at DESC
                    """)
                {
                    Parameters = { new() { Value = addresses }, new() { Value = now - _options.SimilarRequestWindow }, new() { Value = SimilarRequestCandidates } },
                },
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var conversations = new List<Conversation>();
        while (await reader.ReadAsync(cancellationToken))
        {
            conversations.Add(new Conversation(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4)));
        }
        await reader.NextResultAsync(cancellationToken);
        var recent = new List<(string Email, Recent Request)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            recent.Add((reader.GetString(0), new Recent(reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3))));
        }
        return new AddressRows(conversations, recent);
    }

    private sealed record AddressRows(List<Conversation> Conversations, List<(string Email, Recent Request)> Recent);

    private void Add(AddressRows rows)
    {
        foreach (var c in rows.Conversations)
        {
            ConversationOf(c.Email!).Add(c);
        }
        foreach (var (email, request) in rows.Recent)
        {
            RequestsOf(email).Add(request);
        }
    }

    /// <summary>How many of a requester's newest requests a new one is compared with for the similar-request hint.</summary>
    internal const int SimilarRequestCandidates = 50;

    /// <summary>A request the batch opened: found by its tracking number and among its requester's requests from now on.</summary>
    public void Opened(Request request)
    {
        _byTrackingNumber.TryAdd(request.TrackingNumber, new Candidate(request.Id, request.TrackingNumber, request.Requester.Email));
        _confirmationsKnown.Add(request.Id);
        if (request.Requester.Email is { } email)
        {
            RequestsOf(email).Insert(0, new Recent(request.TrackingNumber, request.Description, request.ReceivedAt));
        }
    }

    /// <summary>A message the batch put on a request's timeline: found by its Message-ID and in its requester's conversation from now on.</summary>
    public void Recorded(Guid requestId, string trackingNumber, string? requesterEmail, Message message)
    {
        if (message.InternetMessageId is { } id)
        {
            _byStoredId.TryAdd(id, new Candidate(requestId, trackingNumber, requesterEmail, id));
        }
        if (requesterEmail is not null)
        {
            ConversationOf(requesterEmail).Insert(0, new Conversation(requestId, trackingNumber, message.Subject, requesterEmail, message.RecordedAt));
        }
    }

    /// <summary>The requester's requests received within the similar-request window, newest first.</summary>
    public async Task<List<Recent>> RecentRequestsOfAsync(string email, CancellationToken cancellationToken)
    {
        await LoadAddressesAsync([email], cancellationToken);
        var since = _clock.GetUtcNow() - _options.SimilarRequestWindow;
        return _requests.TryGetValue(email, out var list) ? list.Where(r => r.ReceivedAt >= since).Take(SimilarRequestCandidates).ToList() : [];
    }

    public Task<ThreadMatch?> ByReplyTokensAsync(IReadOnlyCollection<string> tokens, CancellationToken cancellationToken)
    {
        var match = tokens.Select(t => _byToken.GetValueOrDefault(t)).FirstOrDefault(c => c is not null);
        return Task.FromResult(match is null ? null : ThreadMatch.ByReplyAddress(match.RequestId, match.TrackingNumber, match.Email));
    }

    public async Task<ThreadMatch?> ByMessageIdsAsync(IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken)
    {
        var ids = ThreadMatch.ThreadIds(messageIds);
        if (ids.Select(id => _byOutboundId.GetValueOrDefault(id)).FirstOrDefault(c => c is not null) is { } outbound)
        {
            return ThreadMatch.ByOurMessage(outbound.RequestId, outbound.TrackingNumber, outbound.MessageId!, outbound.Email);
        }
        var stored = ids.Select(id => _byStoredId.GetValueOrDefault(id)).FirstOrDefault(c => c is not null);
        return stored is null
            ? null
            : ThreadMatch.ByTheirMessage(stored.RequestId, stored.TrackingNumber, stored.MessageId!, stored.Email,
                await ConfirmedAsync(stored.RequestId, stored.Email, cancellationToken));
    }

    public async Task<ThreadMatch?> ByTrackingNumberAsync(string trackingNumber, CancellationToken cancellationToken)
    {
        return _byTrackingNumber.GetValueOrDefault(trackingNumber) is { } request
            ? ThreadMatch.ByTrackingNumber(request.RequestId, request.TrackingNumber, request.Email, await ConfirmedAsync(request.RequestId, request.Email, cancellationToken))
            : null;
    }

    public async Task<ThreadMatch?> ByRequesterSubjectAsync(string senderAddress, string normalizedSubject, CancellationToken cancellationToken)
    {
        await LoadAddressesAsync([senderAddress], cancellationToken);
        if (!_conversations.TryGetValue(senderAddress, out var conversation))
        {
            return null;
        }
        var since = _clock.GetUtcNow() - _options.RequesterThreadWindow;
        var match = conversation.Where(c => c.RecordedAt >= since).Take(ThreadMatch.RequesterThreadCandidates)
            .FirstOrDefault(c => _subjects.Of(c.Subject) == normalizedSubject);
        return match is null ? null
            : ThreadMatch.BySenderAndSubject(match.RequestId, match.TrackingNumber, match.Email, await ConfirmedAsync(match.RequestId, match.Email, cancellationToken));
    }

    private readonly NormalizedSubjects _subjects = new();

    private List<Conversation> ConversationOf(string email)
    {
        if (!_conversations.TryGetValue(email, out var list))
        {
            list = [];
            _conversations[email] = list;
        }
        return list;
    }

    private List<Recent> RequestsOf(string email)
    {
        if (!_requests.TryGetValue(email, out var list))
        {
            list = [];
            _requests[email] = list;
        }
        return list;
    }

    private Task<bool> ConfirmedAsync(Guid requestId, string? email, CancellationToken cancellationToken) =>
        email is null ? Task.FromResult(false)
        : _confirmationsKnown.Contains(requestId) ? Task.FromResult(_confirmed.Contains((requestId, email)))
        : AddressConfirmations.IsConfirmedAsync(_db, requestId, email, cancellationToken);
}
