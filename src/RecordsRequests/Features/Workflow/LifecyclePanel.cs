using RecordsRequests.Features.Requests;

namespace RecordsRequests.Features.Workflow;

/// <summary>What the request page shows about the workflow: where it stands, the next human action, and its steps.</summary>
public sealed record LifecyclePanel(string TrackingNumber, RequestStatus RequestStatus, RequestLifecycle.LifecycleView? View, bool CanWithdraw,
    string? Message, bool CanDecide)
{
    /// <summary>The waiting steps whose node expects a different request status: shown as a warning, never silently.</summary>
    public IEnumerable<RequestLifecycle.WaitingStep> Disagreeing =>
        View?.Waiting.Where(w => !LifecycleWords.Agrees(w.Node, RequestStatus)) ?? [];
}
