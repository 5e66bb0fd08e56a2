using RecordsRequests.Features.Requests;

namespace RecordsRequests.Features.Redactions;

/// <summary>Plain-language names of redaction categories and states, as officers and counsel read them.</summary>
public static class RedactionLabels
{
    public static string Label(this RedactionCategory category) => category switch
    {
        RedactionCategory.StudentName => "Student name",
        RedactionCategory.StudentId => "Student ID number",
        RedactionCategory.DateOfBirth => "Date of birth",
        RedactionCategory.GuardianName => "Parent or guardian name",
        RedactionCategory.HomeAddress => "Home address",
        RedactionCategory.SocialSecurityNumber => "Social security number",
        RedactionCategory.PhoneNumber => "Telephone number",
        RedactionCategory.PersonalEmail => "Personal e-mail address",
        RedactionCategory.StaffHomeContact => "Employee's home contact details",
        RedactionCategory.StaffFamilyMember => "Employee's family member",
        RedactionCategory.Other => "Other withheld passage",
        _ => Labels.Words(category.ToString()),
    };

    public static string Label(this RedactionStatus status) => status switch
    {
        RedactionStatus.Suggested => "suggested",
        RedactionStatus.Accepted => "accepted",
        RedactionStatus.Approved => "approved by counsel",
        RedactionStatus.Rejected => "rejected",
        _ => Labels.Words(status.ToString()).ToLowerInvariant(),
    };
}
