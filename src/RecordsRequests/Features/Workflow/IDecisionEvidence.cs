namespace RecordsRequests.Features.Workflow;

/// <summary>
/// Vouches for a decision another feature records (see <see cref="RequestLifecycle"/>'s evidenced events): the event
/// is published only when the feature holds the record that makes it, so no other caller can complete the step.
/// </summary>
public interface IDecisionEvidence
{
    LifecycleEvent Event { get; }

    /// <summary>Why <paramref name="outcome"/> is not (yet) on record for this request, in words, or null.</summary>
    Task<string?> RefusalAsync(Guid requestId, string outcome, CancellationToken cancellationToken);
}
