using System.Text.Json;

namespace RecordsRequests.Features.Audit;

/// <summary>
/// Who did what to which row, and when, with the values before and after. Never updated or deleted: each event
/// carries the hash of the one before it, so an edited, inserted or deleted row breaks the chain (<see cref="AuditChain"/>).
/// </summary>
public sealed class AuditEvent
{
    public long Id { get; private set; }

    /// <summary>Position in the hash chain, assigned under a lock at save time: 1, 2, 3 ... without gaps.</summary>
    public long Sequence { get; private set; }

    /// <summary>Hex SHA-256 of the previous event (empty for the first).</summary>
    public string PreviousHash { get; private set; } = "";

    /// <summary>Hex SHA-256 over this event's fields and <see cref="PreviousHash"/>.</summary>
    public string Hash { get; private set; } = "";
    public DateTimeOffset OccurredAt { get; private set; }
    public string Actor { get; private set; } = "";

    /// <summary>For example <c>Request.Created</c>, <c>Request.StatusChanged</c>, <c>Record.ViewedUnredacted</c>.</summary>
    public string Action { get; private set; } = "";
    public string EntityType { get; private set; } = "";
    public string EntityId { get; private set; } = "";

    /// <summary>The request this event belongs to, so a request's timeline can show it.</summary>
    public Guid? RequestId { get; private set; }
    public JsonDocument? Before { get; private set; }
    public JsonDocument? After { get; private set; }

    private AuditEvent() { }

    public static AuditEvent Create(DateTimeOffset occurredAt, string actor, string action, string entityType, string entityId, Guid? requestId,
        JsonDocument? before = null, JsonDocument? after = null) => new()
        {
            // PostgreSQL keeps microseconds; truncating here makes the hashed value the stored value.
            OccurredAt = new DateTimeOffset(occurredAt.UtcTicks - (occurredAt.UtcTicks % 10), TimeSpan.Zero),
            Actor = actor,
            Action = action,
            EntityType = entityType,
            EntityId = entityId,
            RequestId = requestId,
            Before = before,
            After = after,
        };

    /// <summary>
    /// An event whose values were written by <see cref="AuditTrail"/> with the chain's escaping: their text is the text
    /// the hash covers, kept here so chaining does not write the documents a second time.
    /// </summary>
    internal static AuditEvent FromSnapshots(DateTimeOffset occurredAt, string actor, string action, string entityType, string entityId, Guid? requestId,
        AuditSnapshot? before, AuditSnapshot? after)
    {
        var e = Create(occurredAt, actor, action, entityType, entityId, requestId, before?.Document, after?.Document);
        e._hashedBefore = before?.Canonical;
        e._hashedAfter = after?.Canonical;
        return e;
    }

    // Not stored: the stored documents are re-written canonically when the chain is verified (AuditChain.VerifyAsync).
    private byte[]? _hashedBefore;
    private byte[]? _hashedAfter;

    internal byte[]? CanonicalBefore => _hashedBefore;

    internal byte[]? CanonicalAfter => _hashedAfter;

    internal void Chain(long sequence, string previousHash)
    {
        Sequence = sequence;
        PreviousHash = previousHash;
        Hash = AuditChain.HashOf(this);
    }
}
