namespace RecordsRequests.Features.Requests;

/// <summary>The law the requester named, recorded as written; it does not decide how the request is processed.</summary>
public enum CitedLaw
{
    None,
    MassachusettsPublicRecordsLaw,
    FederalFoia,
    StudentRecordRegulations,
    Other,
}
