namespace RecordsRequests.Features.Requests;

/// <summary>Where a request stands. The request row owns this value; the workflow engine only asks for transitions.</summary>
public enum RequestStatus
{
    Received,
    Acknowledged,
    InTriage,
    AwaitingClarification,
    Collecting,
    InReview,
    AwaitingCounsel,
    /// <summary>Counsel approved the redactions; the fee and the written response are next.</summary>
    CounselApproved,
    AwaitingPayment,
    Responded,
    /// <summary>The requester appealed the response to the Supervisor of Records (G.L. c.66 §10A(a)).</summary>
    UnderAppeal,
    Closed,
    Withdrawn,
    NotARequest,
}
