namespace RecordsRequests.Features.Deadlines;

public enum FeeWaiverReason
{
    /// <summary>Disclosure is in the public interest (c.66 §10(d), [S]).</summary>
    PublicInterest,

    /// <summary>The requester shows inability to pay.</summary>
    InabilityToPay,
}
