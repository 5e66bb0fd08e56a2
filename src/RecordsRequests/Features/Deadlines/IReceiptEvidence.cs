namespace RecordsRequests.Features.Deadlines;

/// <summary>
/// Reads a request's evidence for when it really reached the district, for the officer to confirm on the clocks page
/// (when a forwarded request was received is the officer's call, 950 CMR 32.03(3)). Owned here and implemented by
/// intake, which can read the stored message.
/// </summary>
public interface IReceiptEvidence
{
    Task<ProposedReceipt?> ProposeAsync(Guid requestId, CancellationToken cancellationToken);
}
