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
