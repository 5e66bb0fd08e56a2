namespace RecordsRequests.Features.Workflow;

/// <summary>
/// What the engine persists for a request's lifecycle: only the request's id. The request row owns the status and
/// everything else; a step reads it fresh. Persisted contract: keep the name and namespace (stored as $type).
/// </summary>
public sealed class LifecycleData
{
    public Guid RequestId { get; set; }
}
