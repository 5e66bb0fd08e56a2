using RecordsRequests.Features.Records;

namespace RecordsRequests.Features.Redactions;

/// <summary>
/// What officers and counsel read on the review screens for the states and kinds the code names with identifiers:
/// one home for those words, so the records page, the review pages and the progress endpoint say the same thing.
/// </summary>
public static class ReviewWords
{
    public static string Of(RedactionCategory category) => category switch
    {
        RedactionCategory.StudentName => "Student's name",
        RedactionCategory.StudentId => "Student identification number",
        RedactionCategory.DateOfBirth => "Date of birth",
        RedactionCategory.GuardianName => "Parent's or guardian's name",
        RedactionCategory.HomeAddress => "Home address",
        RedactionCategory.SocialSecurityNumber => "Social security number",
        RedactionCategory.PhoneNumber => "Telephone number",
        RedactionCategory.PersonalEmail => "Personal e-mail address",
        RedactionCategory.StaffHomeContact => "Employee's home contact details",
        RedactionCategory.StaffFamilyMember => "Employee's family member",
        RedactionCategory.CaseNumber => "Case number",
        RedactionCategory.Other => "Other withheld information",
        _ => category.ToString(),
    };

    public static string Of(RedactionStatus status) => status switch
    {
        RedactionStatus.Suggested => "Suggested, not decided",
        RedactionStatus.Accepted => "Accepted by an officer",
        RedactionStatus.Rejected => "Rejected (released as is)",
        RedactionStatus.Approved => "Approved by counsel",
        _ => status.ToString(),
    };

    public static string Of(RedactionKind kind) => kind switch
    {
        RedactionKind.Text => "Words",
        RedactionKind.Area => "Drawn area",
        _ => kind.ToString(),
    };

    public static string Of(RecordSource source) => source switch
    {
        RecordSource.Upload => "Uploaded",
        RecordSource.EmailAttachment => "E-mail attachment",
        RecordSource.ArchiveSearch => "Archive search",
        _ => source.ToString(),
    };

    public static string Of(RecordDisposition disposition) => disposition switch
    {
        RecordDisposition.Candidate => "Not judged yet",
        RecordDisposition.Responsive => "Responsive",
        RecordDisposition.NotResponsive => "Not responsive",
        _ => disposition.ToString(),
    };

    /// <summary>The categories an officer picks from, in the order of the enum, with their words.</summary>
    public static IEnumerable<(RedactionCategory Category, string Words)> Categories =>
        Enum.GetValues<RedactionCategory>().Select(c => (c, Of(c)));

    /// <summary>Who proposed a redaction, in words: detection is a process, not a person's address.</summary>
    public static string ProposedBy(string proposedBy) => proposedBy == RedactionReview.DetectorName ? "Automatic detection" : proposedBy;

    /// <summary>An exemption as a choice in a list: its code with what it covers.</summary>
    public static string Choice(Exemption exemption) => $"{exemption.Code}: {exemption.Title}";
}
