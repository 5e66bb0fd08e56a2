using RecordsRequests.Features.Requests;

namespace RecordsRequests.Features.Workflow;

/// <summary>One node: a step class from the allow-list, an optional status to enter, an optional event to wait for, and where each outcome leads.</summary>
public sealed record NodeFile(
    string Id,
    string Step,
    RequestStatus? Status,
    LifecycleEvent? WaitFor,
    IReadOnlyDictionary<string, string>? Next,
    IReadOnlyDictionary<string, string>? With);
