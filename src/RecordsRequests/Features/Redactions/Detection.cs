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

/// <summary>A span of a record's extracted text that a detector thinks should be withheld; a person confirms it.</summary>
/// <param name="Start">Index of the first character in the extracted text.</param>
/// <param name="End">Index one past the last character.</param>
public sealed record RedactionSuggestion(int Start, int End, RedactionCategory Category, string ExemptionCode, string Text, string Reason);

/// <summary>
/// A passage that suggests the document is (or contains) an education record, such as "IEP" or "suspension".
/// It is not redacted by itself; it asks a person to look at the surrounding text (34 CFR 99.3 "linkable" PII).
/// </summary>
public sealed record ReviewFlag(int Start, int End, string Term);

public sealed record DetectionResult(IReadOnlyList<RedactionSuggestion> Suggestions, IReadOnlyList<ReviewFlag> ReviewFlags);
