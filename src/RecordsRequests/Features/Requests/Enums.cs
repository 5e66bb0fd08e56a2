namespace RecordsRequests.Features.Requests;

/// <summary>How a request reached the district. 950 CMR 32.06(1)(b): a request may be made in person, by mail, e-mail or fax, and no form may be required.</summary>
public enum RequestChannel
{
    Email,
    WebForm,
    PostalMail,
    InPerson,
    Fax,
    Phone,
}

/// <summary>The law the requester named, recorded as written; it does not decide how the request is processed.</summary>
public enum CitedLaw
{
    None,
    MassachusettsPublicRecordsLaw,
    FederalFoia,
    StudentRecordRegulations,
    Other,
}

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
