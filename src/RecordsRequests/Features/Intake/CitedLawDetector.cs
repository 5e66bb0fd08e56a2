using System.Text.RegularExpressions;
using RecordsRequests.Features.Requests;

namespace RecordsRequests.Features.Intake;

/// <summary>
/// Which law the requester named. The citation is recorded as written; <see cref="Request.GoverningLawFor"/> decides the
/// law the district answers under (legal.md 4.5: a FOIA citation is processed under G.L. c.66 §10).
/// Explicit citations win over descriptive phrases, and the student-record regulation (603 CMR 23) over c.66.
/// </summary>
public static partial class CitedLawDetector
{
    /// <summary>The citation found in the subject or the body (each read where it is, not joined into a copy of the body).</summary>
    public static CitedLaw Detect(string? subject, string? body)
    {
        bool Cites(Regex citation) => citation.IsMatch(subject ?? "") || citation.IsMatch(body ?? "");
        if (Cites(StudentRegulation()))
        {
            return CitedLaw.StudentRecordRegulations;
        }
        if (Cites(Chapter66()))
        {
            return CitedLaw.MassachusettsPublicRecordsLaw;
        }
        if (Cites(Foia()))
        {
            return CitedLaw.FederalFoia;
        }
        if (Cites(StudentRecordPhrase()))
        {
            return CitedLaw.StudentRecordRegulations;
        }
        return CitedLaw.None;
    }

    [GeneratedRegex(@"\b603\s*C\.?\s*M\.?\s*R\.?\s*(§\s*)?23\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex StudentRegulation();

    // G.L. c.66 §10, c. 66, ch. 66, chapter 66, M.G.L. c66 s10, "public records law".
    [GeneratedRegex(@"(\b(c|ch|chap|chapter)\.?\s*66\b)|\bpublic\s+records\s+(law|act|statute)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Chapter66();

    [GeneratedRegex(@"\bFOIA\b|\bfreedom\s+of\s+information\s+act\b|\b5\s*U\.?\s*S\.?\s*C\.?\s*(§+\s*)?552\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Foia();

    [GeneratedRegex(@"\bstudent\s+records?\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex StudentRecordPhrase();
}
