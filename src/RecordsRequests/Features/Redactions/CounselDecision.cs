namespace RecordsRequests.Features.Redactions;

public enum CounselDecision
{
    Approved,
    Returned,
}
