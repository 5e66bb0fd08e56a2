using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using RecordsRequests.Features.Shared;

namespace RecordsRequests.Features.Audit;

/// <summary>
/// Turns the pending changes of audited entities into audit events. The caller adds them to the same SaveChanges,
/// so the change and its audit row commit or fail together.
/// </summary>
internal static class AuditTrail
{
    public static List<AuditEvent> Capture(ChangeTracker changes, string actor, DateTimeOffset now)
    {
        var events = new List<AuditEvent>();
        foreach (var entry in changes.Entries().Where(e => e.Entity is IAudited))
        {
            var entityType = entry.Metadata.ClrType.Name;
            switch (entry.State)
            {
                case EntityState.Added:
                    events.Add(AuditEvent.Create(now, actor, $"{entityType}.Created", entityType, KeyOf(entry), RequestIdOf(entry),
                        after: Snapshot(entry.Properties, p => p.CurrentValue)));
                    break;
                case EntityState.Modified:
                    var changed = entry.Properties.Where(p => p.IsModified && !Equals(p.OriginalValue, p.CurrentValue)).ToList();
                    if (changed.Count == 0)
                    {
                        break;
                    }
                    var action = changed.Any(p => p.Metadata.Name == "Status") ? $"{entityType}.StatusChanged" : $"{entityType}.Updated";
                    events.Add(AuditEvent.Create(now, actor, action, entityType, KeyOf(entry), RequestIdOf(entry),
                        before: Snapshot(changed, p => p.OriginalValue), after: Snapshot(changed, p => p.CurrentValue)));
                    break;
                case EntityState.Deleted:
                    events.Add(AuditEvent.Create(now, actor, $"{entityType}.Deleted", entityType, KeyOf(entry), RequestIdOf(entry),
                        before: Snapshot(entry.Properties, p => p.OriginalValue)));
                    break;
                case EntityState.Detached:
                case EntityState.Unchanged:
                    break;
            }
        }
        return events;
    }

    private static string KeyOf(EntityEntry entry) =>
        string.Join("/", entry.Metadata.FindPrimaryKey()!.Properties.Select(p => Convert.ToString(entry.Property(p.Name).CurrentValue, CultureInfo.InvariantCulture)));

    private static Guid? RequestIdOf(EntityEntry entry)
    {
        if (entry.Entity is IAuditedRequest)
        {
            return (Guid)entry.Property("Id").CurrentValue!;
        }
        return entry.Metadata.FindProperty("RequestId") is null ? null : entry.Property("RequestId").CurrentValue as Guid?;
    }

    /// <summary>
    /// Binary columns (raw mail, file content) are summarised by length: the audit trail is not a second copy of them.
    /// Private links in text are masked (<see cref="PrivateLinks"/>).
    /// </summary>
    private static JsonDocument Snapshot(IEnumerable<PropertyEntry> properties, Func<PropertyEntry, object?> value)
    {
        var values = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in properties)
        {
            values[property.Metadata.Name] = value(property) switch
            {
                byte[] bytes => $"<{bytes.Length} bytes>",
                // A queued e-mail's body holds the requester's private link until it is sent; the trail never does.
                string text => PrivateLinks.Mask(text),
                Enum e => e.ToString(),
                var other => other,
            };
        }
        return JsonSerializer.SerializeToDocument(values);
    }
}
