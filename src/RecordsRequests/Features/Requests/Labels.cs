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

    /// <summary>"StatusChanged" becomes "Status changed": the fallback for an identifier with no label of its own.</summary>
    public static string Words(string identifier)
    {
        var words = WordStart().Replace(identifier, " $1").Trim().ToLowerInvariant();
        return words.Length == 0 ? words : char.ToUpperInvariant(words[0]) + words[1..];
    }

    [GeneratedRegex("(?<!^)([A-Z])")]
    private static partial Regex WordStart();
}
