namespace RecordsRequests.Features.Redactions;

/// <summary>What kind of information a suggested redaction covers.</summary>
public enum RedactionCategory
{
    StudentName,
    StudentId,
    DateOfBirth,
    GuardianName,
    HomeAddress,
    SocialSecurityNumber,
    PhoneNumber,
    PersonalEmail,
    StaffHomeContact,
    StaffFamilyMember,
    /// <summary>A case number announced as such (a hearing, an investigation, a discipline case): it links to a person's file.</summary>
    CaseNumber,
    /// <summary>Added by a person: privileged passages, anything the detectors cannot know.</summary>
    Other,
}
