namespace RecordsRequests.Features.Redactions;

public enum RedactionStatus
{
    /// <summary>Proposed by a detector; nobody has looked at it yet.</summary>
    Suggested,
    /// <summary>An officer confirmed it (or added it by hand); counsel has not approved it yet.</summary>
    Accepted,
    /// <summary>An officer or counsel decided the text is releasable.</summary>
    Rejected,
    /// <summary>Counsel approved it: it is part of the set a release applies.</summary>
    Approved,
}
