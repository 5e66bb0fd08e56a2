using System.Text.Json;

namespace RecordsRequests.Features.Audit;

/// <summary>A row's values as the audit trail keeps them, and their text (UTF-8) as the chain hashes it.</summary>
internal sealed record AuditSnapshot(JsonDocument Document, byte[] Canonical);
