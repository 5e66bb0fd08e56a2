using System.Text;

namespace RecordsRequests.Features.Workflow.Steps;

/// <summary>
/// The words of the letters the lifecycle sends; <see cref="Correspondence.Letterhead"/> puts the date, addressee, the
/// request restated and the signature around them. Wording is the district's to refine; the legal content is cited.
/// </summary>
internal static class Letters
{
    public static string Clarification(string question) => Letter(
        "To find the records you asked for we need a little more information:",
        question,
        "Please reply to this message, keeping the tracking number in the subject.");

    /// <summary>The fee letter around the itemised estimate <see cref="Deadlines.FeeEstimates"/> computed; the officer's note follows it.</summary>
    public static string FeeEstimate(string itemised, string? note) => Letter(
        "Before we produce the records, here is our itemised, good-faith estimate of the fee (G.L. c.66 §10(b)(viii), §10(d); 950 CMR 32.07(2)):",
        string.IsNullOrWhiteSpace(note) ? itemised : $"{itemised.TrimEnd()}\n\n{note.Trim()}",
        "Reply to accept the estimate, to narrow your request, or to ask for a waiver. You may petition the Supervisor of Records about any fee (950 CMR 32.08).");

    public static string Response(string kind, string? details) => kind switch
    {
        "full-release" => Letter("The district is releasing the records you requested in full.", details, AppealRights),
        "partial-release" => Letter("The district is releasing the records you requested in part. The following were withheld or redacted, each under the exemption cited (G.L. c.66 §10(b)(iv); c.4 §7 cl.26):", details, AppealRights),
        "denial" => Letter("The district is withholding the records you requested, for the reasons and under the exemptions below (G.L. c.66 §10(b)(iv); c.4 §7 cl.26):", details, AppealRights),
        "no-records" => Letter("After a search the district has no records responsive to your request.", details, AppealRights),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown response kind."),
    };

    private const string AppealRights =
        "You may appeal this response to the Supervisor of Records within 90 days (G.L. c.66 §10A(a); 950 CMR 32.08), and you may also seek relief in the superior court (G.L. c.66 §10A(c)).";

    private static string Letter(string opening, string? body, string closing)
    {
        var text = new StringBuilder();
        text.AppendLine(opening);
        if (!string.IsNullOrWhiteSpace(body))
        {
            text.AppendLine().AppendLine(body.Trim());
        }
        text.AppendLine().AppendLine(closing);
        return text.ToString();
    }
}
