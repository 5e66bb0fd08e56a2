namespace RecordsRequests.Features.Requests;

/// <summary>
/// The law the district processes the request under. Every request to a Massachusetts district is governed by
/// G.L. c.66 §10; the federal FOIA (5 U.S.C. §552) binds only federal agencies, so a FOIA-cited request is processed
/// under c.66. A parent's or eligible student's request for their own student record follows 603 CMR 23.
/// </summary>
public enum GoverningLaw
{
    MassachusettsPublicRecordsLaw,
    StudentRecordAccess,
}
