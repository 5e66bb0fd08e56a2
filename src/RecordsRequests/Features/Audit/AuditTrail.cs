using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using RecordsRequests.Features.Shared;

namespace RecordsRequests.Features.Audit;

/// <summary>
/// Turns the pending changes of audited entities into audit events. The caller adds them to the same SaveChanges,
/// so the change and its audit row commit or fail together.
/// </summary>
internal static class AuditTrail
{
    /// <summary>
    /// Marks a text column (with <c>HasAnnotation(AuditTrail.ByLengthAndHash, true)</c>) whose value the row keeps and derives
    /// from evidence audited otherwise, such as a timeline message's text read from its raw bytes: the trail records its
    /// length and SHA-256, which prove the row's text unchanged, instead of a second copy of it.
    /// </summary>
    public const string ByLengthAndHash = "RecordsRequests:AuditedByLengthAndHash";

    public static List<AuditEvent> Capture(ChangeTracker changes, string actor, DateTimeOffset now)
    {
        var events = new List<AuditEvent>();
        foreach (var entry in changes.Entries().Where(e => e.Entity is IAudited))
        {
            var entityType = entry.Metadata.ClrType.Name;
            switch (entry.State)
            {
                case EntityState.Added when entry.Entity is IAuditedWhenSettled { Settled: false }:
                    break;
                case EntityState.Added:
                    var created = entry.CurrentValues;
                    events.Add(AuditEvent.FromSnapshots(now, actor, $"{entityType}.Created", entityType, KeyOf(entry, created), RequestIdOf(entry, created),
                        before: null, after: Snapshot(InNameOrder(entry.Metadata), created)));
                    break;
                case EntityState.Modified:
                    var (original, current) = (entry.OriginalValues, entry.CurrentValues);
                    // Values compared first, and only a property whose value differs asked whether it was marked modified:
                    // an entry object for each property of each changed row was most of what capturing cost.
                    var changed = InNameOrder(entry.Metadata).Where(p => !Equals(original[p], current[p]) && entry.Property(p).IsModified).ToList();
                    if (changed.Count == 0)
                    {
                        break;
                    }
                    var action = changed.Any(p => p.Name == "Status") ? $"{entityType}.StatusChanged" : $"{entityType}.Updated";
                    var shown = entry.Entity is IAuditedWhenSettled ? InNameOrder(entry.Metadata) : changed;
                    events.Add(AuditEvent.FromSnapshots(now, actor, action, entityType, KeyOf(entry, current), RequestIdOf(entry, current),
                        before: Snapshot(shown, original), after: Snapshot(shown, current)));
                    break;
                case EntityState.Deleted:
                    var (deleted, lastHeld) = (entry.OriginalValues, entry.CurrentValues);
                    events.Add(AuditEvent.FromSnapshots(now, actor, $"{entityType}.Deleted", entityType, KeyOf(entry, lastHeld), RequestIdOf(entry, lastHeld),
                        before: Snapshot(InNameOrder(entry.Metadata), deleted), after: null));
                    break;
                case EntityState.Detached:
                case EntityState.Unchanged:
                    break;
            }
        }
        return events;
    }

    /// <summary>An entity type's properties in the order snapshots write them (by name), sorted once a type.</summary>
    private static IReadOnlyList<IProperty> InNameOrder(IEntityType type) =>
        PropertiesInNameOrder.GetOrAdd(type, static t => t.GetProperties().OrderBy(p => p.Name, StringComparer.Ordinal).ToArray());

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<IEntityType, IProperty[]> PropertiesInNameOrder = new();

    private static string KeyOf(EntityEntry entry, PropertyValues values) =>
        string.Join("/", entry.Metadata.FindPrimaryKey()!.Properties.Select(p => Convert.ToString(values[p], CultureInfo.InvariantCulture)));

    private static Guid? RequestIdOf(EntityEntry entry, PropertyValues values)
    {
        if (entry.Entity is IAuditedRequest)
        {
            return (Guid)values["Id"]!;
        }
        return entry.Metadata.FindProperty("RequestId") is { } requestId ? values[requestId] as Guid? : null;
    }

    [ThreadStatic]
    private static System.Buffers.ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>
    /// Binary columns (raw mail, file content) are summarised by length: the audit trail is not a second copy of them.
    /// Private links in text are masked (<see cref="PrivateLinks"/>). Written straight to JSON, in name order, with the
    /// escaping the chain hashes (<see cref="AuditChain.CanonicalWriterOptions"/>), so the text written is the hashed
    /// text and is not written a second time to hash it; the column types the writer knows are written without the
    /// serializer's reflection (intake writes a few events a message, thousands a minute when a mailbox catches up).
    /// </summary>
    /// <param name="properties">In name order (<see cref="InNameOrder"/>).</param>
    private static AuditSnapshot Snapshot(IReadOnlyList<IProperty> properties, PropertyValues values)
    {
        // The thread's buffer and writer, reused: a request's snapshot holds its description, and a new buffer grew by
        // doubling to hold it for every snapshot of every message a mailbox catching up took in.
        var buffer = t_buffer ??= new System.Buffers.ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer, AuditChain.CanonicalWriterOptions);
        writer.Reset(buffer);
        writer.WriteStartObject();
        foreach (var property in properties)
        {
            writer.WritePropertyName(property.Name);
            switch (values[property])
            {
                case null:
                    writer.WriteNullValue();
                    break;
                case string text when property.FindAnnotation(ByLengthAndHash) is not null:
                    writer.WriteStringValue(
                        $"<{text.Length} characters, SHA-256 {Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))}>");
                    break;
                case byte[] bytes:
                    writer.WriteStringValue($"<{bytes.Length} bytes>");
                    break;
                // A queued e-mail's body holds the requester's private link until it is sent; the trail never does.
                case string text:
                    writer.WriteStringValue(PrivateLinks.Mask(text));
                    break;
                case Enum e:
                    writer.WriteStringValue(e.ToString());
                    break;
                case Guid g:
                    writer.WriteStringValue(g);
                    break;
                case DateTimeOffset at:
                    writer.WriteStringValue(at);
                    break;
                case DateTime at:
                    writer.WriteStringValue(at);
                    break;
                case bool b:
                    writer.WriteBooleanValue(b);
                    break;
                case int n:
                    writer.WriteNumberValue(n);
                    break;
                case long n:
                    writer.WriteNumberValue(n);
                    break;
                case decimal n:
                    writer.WriteNumberValue(n);
                    break;
                case var other:
                    JsonSerializer.Serialize(writer, other, other.GetType());
                    break;
            }
        }
        writer.WriteEndObject();
        writer.Flush();
        var json = buffer.WrittenSpan.ToArray();
        return new AuditSnapshot(JsonDocument.Parse(json), json);
    }
}
