namespace RecordsRequests.Features.Workflow;

/// <summary>What the request page shows about the workflow: where it stands, the next human action, and its steps.</summary>
public sealed record LifecyclePanel(string TrackingNumber, RequestLifecycle.LifecycleView? View, bool CanWithdraw, string? Message);
