using RecordsRequests.Features.Requests;

namespace RecordsRequests.Features.Workflow;

/// <summary>What a step body needs to know about the node it runs as.</summary>
public sealed record LifecycleNode(string Id, RequestStatus? Status, LifecycleEvent? WaitFor, IReadOnlyList<string> Outcomes,
    IReadOnlyDictionary<string, string> Parameters);
