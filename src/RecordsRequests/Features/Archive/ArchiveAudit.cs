using System.Text.Json;
using RecordsRequests.Features.Audit;

namespace RecordsRequests.Features.Archive;

/// <summary>Every search an officer runs is written to the audit trail: who searched the district's mail for what.</summary>
public static class ArchiveAudit
{
    public const string Searched = "Archive.Searched";

    public static AuditEvent SearchedEvent(ArchiveQuery query, int hits, string actor, DateTimeOffset at) =>
        AuditEvent.Create(at, actor, Searched, "ArchiveSearch", Guid.CreateVersion7().ToString(), null,
            after: JsonSerializer.SerializeToDocument(new
            {
                query = query.Text,
                from = query.From,
                to = query.To,
                custodian = query.Custodian,
                sort = query.Sort.ToString(),
                page = query.Page,
                hits,
            }));
}
