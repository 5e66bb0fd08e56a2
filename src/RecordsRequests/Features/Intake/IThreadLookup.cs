namespace RecordsRequests.Features.Intake;

/// <summary>Looks up existing requests for threading. The database implementation is <see cref="DatabaseThreadLookup"/>.</summary>
public interface IThreadLookup
{
    /// <summary>The request whose reply address carries one of these tokens (proof).</summary>
    Task<ThreadMatch?> ByReplyTokensAsync(IReadOnlyCollection<string> tokens, CancellationToken cancellationToken);

    /// <summary>A request one of these Message-IDs (In-Reply-To/References) belongs to: our outbound mail (proof) or stored inbound mail.</summary>
    Task<ThreadMatch?> ByMessageIdsAsync(IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken);

    Task<ThreadMatch?> ByTrackingNumberAsync(string trackingNumber, CancellationToken cancellationToken);

    /// <summary>The sender's own request whose conversation has this normalized subject.</summary>
    Task<ThreadMatch?> ByRequesterSubjectAsync(string senderAddress, string normalizedSubject, CancellationToken cancellationToken);
}
