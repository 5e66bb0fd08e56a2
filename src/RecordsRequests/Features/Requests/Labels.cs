using System.Text.RegularExpressions;

namespace RecordsRequests.Features.Requests;

/// <summary>Plain-language names for the values officers and requesters read on pages and in letters.</summary>
public static partial class Labels
{
    public static string Label(this CitedLaw law) => law switch
    {
        CitedLaw.None => "None cited",
        CitedLaw.MassachusettsPublicRecordsLaw => "Massachusetts Public Records Law (G.L. c.66)",
        CitedLaw.FederalFoia => "Federal FOIA (5 U.S.C. §552)",
        CitedLaw.StudentRecordRegulations => "Student record regulations (603 CMR 23)",
        CitedLaw.Other => "Other law",
    };

    public static string Label(this GoverningLaw law) => law switch
    {
        GoverningLaw.MassachusettsPublicRecordsLaw => "Massachusetts Public Records Law, G.L. c.66 §10",
        GoverningLaw.StudentRecordAccess => "Student record access, 603 CMR 23.07",
    };

    /// <summary>"AwaitingCounsel" becomes "Awaiting counsel".</summary>
    public static string Label(this RequestStatus status) => StatusLabels[status];

    // Worked out once: the queue shows a status on each of its hundred rows, on every view.
    private static readonly IReadOnlyDictionary<RequestStatus, string> StatusLabels = Enum.GetValues<RequestStatus>()
        .ToDictionary(status => status, status => Words(status.ToString()));

    public static string Label(this RequestChannel channel) => channel switch
    {
        RequestChannel.Email => "E-mail",
        RequestChannel.WebForm => "Web form",
        RequestChannel.PostalMail => "Postal mail",
        RequestChannel.InPerson => "In person",
        RequestChannel.Fax => "Fax",
        RequestChannel.Phone => "Phone",
    };

    public static string Label(this Correspondence.LetterKind kind) => kind switch
    {
        Correspondence.LetterKind.Acknowledgement => "Acknowledgement",
        Correspondence.LetterKind.Clarification => "Clarification question",
        Correspondence.LetterKind.Extension => "Extension (more time needed)",
        Correspondence.LetterKind.FeeEstimate => "Fee estimate",
        Correspondence.LetterKind.FinalResponse => "Response",
        Correspondence.LetterKind.Denial => "Denial",
        Correspondence.LetterKind.Withdrawal => "Withdrawal",
        Correspondence.LetterKind.Release => "Release",
    };

    /// <summary>What each letter is for, beside its link on the request page.</summary>
    public static string Purpose(this Correspondence.LetterKind kind) => kind switch
    {
        Correspondence.LetterKind.Acknowledgement => "confirms receipt, the tracking number and the dates",
        Correspondence.LetterKind.Clarification => "asks the requester to narrow or explain the request",
        Correspondence.LetterKind.Extension => "the written response within 10 business days when records come later (G.L. c.66 §10(b))",
        Correspondence.LetterKind.FeeEstimate => "an itemised good-faith estimate before producing records (G.L. c.66 §10(d))",
        Correspondence.LetterKind.FinalResponse => "the response that answers the request, with appeal rights",
        Correspondence.LetterKind.Denial => "withholds records, citing each exemption, with appeal rights",
        Correspondence.LetterKind.Withdrawal => "confirms that the requester withdrew the request; sent by the withdrawal action",
        Correspondence.LetterKind.Release => "goes with released records: each document by its Bates range, the exemptions, appeal rights; sent by Release",
    };

    public static string Label(this Redactions.RedactionCategory category) => category switch
    {
        Redactions.RedactionCategory.StudentName => "Student name",
        Redactions.RedactionCategory.StudentId => "Student ID number",
        Redactions.RedactionCategory.DateOfBirth => "Date of birth",
        Redactions.RedactionCategory.GuardianName => "Parent or guardian name",
        Redactions.RedactionCategory.HomeAddress => "Home address",
        Redactions.RedactionCategory.SocialSecurityNumber => "Social security number",
        Redactions.RedactionCategory.PhoneNumber => "Telephone number",
        Redactions.RedactionCategory.PersonalEmail => "Personal e-mail address",
        Redactions.RedactionCategory.StaffHomeContact => "Employee's home contact details",
        Redactions.RedactionCategory.StaffFamilyMember => "Employee's family member",
        Redactions.RedactionCategory.Other => "Other withheld passage",
        _ => Words(category.ToString()),
    };

    public static string Label(this Redactions.RedactionStatus status) => status switch
    {
        Redactions.RedactionStatus.Suggested => "suggested",
        Redactions.RedactionStatus.Accepted => "accepted",
        Redactions.RedactionStatus.Approved => "approved by counsel",
        Redactions.RedactionStatus.Rejected => "rejected",
        _ => Words(status.ToString()).ToLowerInvariant(),
    };

    /// <summary>A staff role as people say it.</summary>
    public static string RoleLabel(string role) => role switch
    {
        Accounts.Roles.RecordsOfficer => "Records access officer",
        Accounts.Roles.Counsel => "Counsel",
        Accounts.Roles.Admin => "Administrator",
        _ => Words(role),
    };

    /// <summary>"StatusChanged" becomes "Status changed": the fallback for an identifier with no label of its own.</summary>
    public static string Words(string identifier)
    {
        var words = WordStart().Replace(identifier, " $1").Trim().ToLowerInvariant();
        return words.Length == 0 ? words : char.ToUpperInvariant(words[0]) + words[1..];
    }

    [GeneratedRegex("(?<!^)([A-Z])")]
    private static partial Regex WordStart();
}
