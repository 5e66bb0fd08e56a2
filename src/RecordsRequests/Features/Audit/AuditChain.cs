using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace RecordsRequests.Features.Audit;

/// <summary>
/// The audit trail as a hash chain. New events are chained inside the saving transaction under a transaction-scoped
/// advisory lock, so concurrent writers append one after another and the chain never forks.
/// </summary>
public static class AuditChain
{
    /// <summary>Arbitrary constant naming the advisory lock that serialises appends to the chain.</summary>
    private const long AppendLock = 0x5245_434F_5244;

    /// <summary>
    /// SHA-256 of the event's fields and the previous hash, joined by U+001F, as UTF-8. Hashed a field at a time, which
    /// is the same as hashing the joined text (the separator keeps any surrogate pair within one field), without building
    /// it: intake chains thousands of events a minute.
    /// </summary>
    public static string HashOf(AuditEvent e)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> number = stackalloc byte[20];
        sha.AppendData(number[..Utf8Digits(e.Sequence, number)]);
        sha.AppendData(Separator);
        sha.AppendData(number[..Utf8Digits(e.OccurredAt.UtcTicks, number)]);
        foreach (var field in (ReadOnlySpan<string>)[e.Actor, e.Action, e.EntityType, e.EntityId, e.RequestId?.ToString("D") ?? ""])
        {
            sha.AppendData(Separator);
            AppendUtf8(sha, field);
        }
        sha.AppendData(Separator);
        sha.AppendData(e.CanonicalBefore ?? Canonical(e.Before));
        sha.AppendData(Separator);
        sha.AppendData(e.CanonicalAfter ?? Canonical(e.After));
        sha.AppendData(Separator);
        AppendUtf8(sha, e.PreviousHash);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static ReadOnlySpan<byte> Separator => [0x1f];

    private static int Utf8Digits(long value, Span<byte> into) =>
        value.TryFormat(into, out var written, default, CultureInfo.InvariantCulture) ? written : throw new InvalidOperationException("A number too long to hash.");

    private static void AppendUtf8(IncrementalHash sha, string text)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            sha.AppendData(buffer, 0, Encoding.UTF8.GetBytes(text, buffer));
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The one escaping the hashed JSON is written with (<see cref="Canonical"/>).</summary>
    internal static readonly JsonWriterOptions CanonicalWriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// The JSON re-written with one fixed escaping, as UTF-8: the database driver may have escaped characters such as '+'
    /// differently from the serializer that built the document, and the hash must not depend on which one wrote it.
    /// </summary>
    private static byte[] Canonical(JsonDocument? document)
    {
        if (document is null)
        {
            return [];
        }
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, CanonicalWriterOptions))
        {
            document.WriteTo(writer);
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Where the chain ends inside one transaction that holds the append lock: the transaction's later saves continue from
    /// here instead of asking the database again (a batch of intake saves once a message, all in one transaction).
    /// </summary>
    internal sealed class Head
    {
        private Guid _transactionId;
        private long _sequence;
        private string _hash = "";

        public bool Knows(Guid transactionId) => _transactionId == transactionId && transactionId != Guid.Empty;

        public void Set(Guid transactionId, long sequence, string hash) => (_transactionId, _sequence, _hash) = (transactionId, sequence, hash);

        public (long Sequence, string Hash) Current => (_sequence, _hash);

        /// <summary>A save that failed was rolled back (to its savepoint, or with its transaction): the next append asks the database.</summary>
        public void Forget() => _transactionId = Guid.Empty;
    }

    /// <summary>
    /// Chains the pending events; the caller must be inside the transaction that saves them. The first append of a
    /// transaction takes the lock, which it holds until the transaction ends, and reads the chain's last event; later
    /// appends in the same transaction continue from <paramref name="head"/>, since nobody else can append meanwhile.
    /// </summary>
    internal static async Task AppendAsync(DbContext db, IReadOnlyList<AuditEvent> pending, Head head, CancellationToken cancellationToken)
    {
        var current = db.Database.CurrentTransaction ?? throw new InvalidOperationException("Audit events must be chained inside a transaction.");
        long sequence;
        string previous;
        if (head.Knows(current.TransactionId))
        {
            (sequence, previous) = head.Current;
        }
        else
        {
            (sequence, previous) = await LockAndReadLastAsync(db, current, cancellationToken);
        }
        foreach (var e in pending)
        {
            e.Chain(++sequence, previous);
            previous = e.Hash;
        }
        head.Set(current.TransactionId, sequence, previous);
    }

    private static async Task<(long Sequence, string Hash)> LockAndReadLastAsync(DbContext db, IDbContextTransaction current, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var command = new NpgsqlCommand(
            "SELECT pg_advisory_xact_lock(@lock); SELECT sequence, hash FROM audit_events ORDER BY sequence DESC LIMIT 1", connection,
            (NpgsqlTransaction)current.GetDbTransaction());
        command.Parameters.AddWithValue("lock", AppendLock);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetInt64(0), reader.GetString(1)) : (0, "");
    }

    public sealed record Verification(long EventsChecked, long? FirstBrokenSequence, string? Problem)
    {
        public bool Intact => FirstBrokenSequence is null;
    }

    /// <summary>Walks the whole chain in order and reports the first event that does not fit.</summary>
    public static async Task<Verification> VerifyAsync(DbContext db, CancellationToken cancellationToken)
    {
        long expectedSequence = 1;
        var previous = "";
        await foreach (var e in db.Set<AuditEvent>().AsNoTracking().OrderBy(a => a.Sequence).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            if (e.Sequence != expectedSequence)
            {
                return new(expectedSequence - 1, e.Sequence, $"event {expectedSequence} is missing (next is {e.Sequence})");
            }
            if (e.PreviousHash != previous)
            {
                return new(expectedSequence - 1, e.Sequence, $"event {e.Sequence} does not follow the event before it");
            }
            if (HashOf(e) != e.Hash)
            {
                return new(expectedSequence - 1, e.Sequence, $"event {e.Sequence} was changed after it was written");
            }
            previous = e.Hash;
            expectedSequence++;
        }
        return new(expectedSequence - 1, null, null);
    }
}
