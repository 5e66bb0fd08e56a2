using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using RecordsRequests.Features.Deadlines;
using RecordsRequests.Features.Requests;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Correspondence;

/// <summary>The letters an officer sends from the dashboard.</summary>
public enum LetterKind
{
    Acknowledgement,
    Clarification,
    /// <summary>The written response of c.66 §10(b) when records are not all produced within 10 business days.</summary>
    Extension,
    FeeEstimate,
    FinalResponse,
    Denial,
}

public sealed record LetterDraft(LetterKind Kind, string Subject, string Body);

/// <summary>
/// Drafts letters from the request's data: tracking number, dates from the statutory clocks and the governing law.
/// Parts only an officer can decide are left as <c>[[…]]</c> placeholders, and a letter that still has one is not sent.
/// The written-response letters carry the nine elements of c.66 §10(b) as legal.md 1.4 lists them.
/// </summary>
public sealed class LetterTemplates(IStatutoryDates dates, IOptions<RecordsOptions> records, Letterhead letterhead)
{
    public const string PlaceholderStart = "[[";

    private static readonly CultureInfo Culture = CultureInfo.GetCultureInfo("en-US");

    public static bool HasPlaceholders(string body) => body.Contains(PlaceholderStart, StringComparison.Ordinal);

    /// <summary>A draft on the district's letterhead, signed by <paramref name="sender"/> (the officer who will send it).</summary>
    public async Task<LetterDraft> DraftAsync(LetterKind kind, Request request, CancellationToken cancellationToken, string? sender = null)
    {
        var clocks = await dates.ForAsync(request, cancellationToken);
        var district = records.Value.DistrictName;
        var text = new StringBuilder();
        string subject;
        switch (kind)
        {
            case LetterKind.Acknowledgement:
                subject = "We received your records request";
                text.AppendLine(Culture, $"{district} received your request on {Day(clocks.ReceivedOn)} and is processing it under {LawOf(request)}.");
                text.AppendLine(Culture, $"A written response is due by {Day(clocks.ResponseDue.Date)}.");
                break;
            case LetterKind.Clarification:
                subject = "Question about your records request";
                text.AppendLine(Culture, $"Thank you for your request of {Day(clocks.ReceivedOn)}:");
                text.AppendLine();
                text.AppendLine(Quote(request.Description));
                text.AppendLine();
                text.AppendLine("To find the records you want, please tell us: [[what needs clarifying, e.g. date range, offices, record types]].");
                text.AppendLine("A request must reasonably describe the records (950 CMR 32.06(1)); narrowing it can also make production faster and cheaper.");
                break;
            case LetterKind.Extension:
                subject = "Written response to your records request (G.L. c.66 §10(b))";
                WrittenResponse(text, request, clocks, denial: false);
                break;
            case LetterKind.FeeEstimate:
                subject = "Fee estimate for your records request";
                text.AppendLine(Culture, $"We received your request on {Day(clocks.ReceivedOn)}. Before work begins, here is our itemized, good-faith estimate of the fee (G.L. c.66 §10(b)(viii), §10(d)):");
                text.AppendLine();
                FeeItems(text);
                text.AppendLine();
                text.AppendLine("The actual cost may vary from this estimate. The district may require payment of the estimated fee before it begins work.");
                text.AppendLine("You may ask for a waiver or reduction if disclosure is in the public interest or you cannot pay (G.L. c.66 §10(d)).");
                text.AppendLine();
                AppealRights(text);
                break;
            case LetterKind.FinalResponse:
                subject = "Records in response to your request";
                text.AppendLine(Culture, $"In response to your request of {Day(clocks.ReceivedOn)}, the district is providing [[the records or a link to them]].");
                text.AppendLine("Records withheld or redacted, with the specific exemption and why it applies: [[none, or list each with its exemption under G.L. c.4 §7(26)]].");
                text.AppendLine();
                AppealRights(text);
                break;
            case LetterKind.Denial:
                subject = "Response to your records request: records withheld";
                WrittenResponse(text, request, clocks, denial: true);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
        return new LetterDraft(kind, $"[{request.TrackingNumber}] {subject}",
            await letterhead.WrapAsync(request, text.ToString(), sender, cancellationToken));
    }

    /// <summary>
    /// The response letter that goes out with a release (and into its package): the documents produced by their Bates
    /// ranges, each exemption claimed (G.L. c.66 §10(b)(iv)) and the appeal rights.
    /// </summary>
    public async Task<string> ReleaseLetterAsync(Request request, IReadOnlyList<string> documents, IReadOnlyList<string> exemptions, string? sender,
        CancellationToken cancellationToken)
    {
        var clocks = await dates.ForAsync(request, cancellationToken);
        var text = new StringBuilder();
        text.AppendLine(Culture, $"In response to your request of {Day(clocks.ReceivedOn)}, the district is producing the following records, each page numbered with its Bates number:");
        foreach (var document in documents)
        {
            text.AppendLine(Culture, $"  - {document}");
        }
        text.AppendLine();
        // G.L. c.66 §10(b)(iv): identify what is withheld, with the specific exemption and the specific reason.
        text.AppendLine("Portions withheld, with the exemption that applies (G.L. c.66 §10(b)(iv)); each redaction is marked on the page with its exemption and listed in the enclosed exemption log:");
        foreach (var exemption in exemptions)
        {
            text.AppendLine(Culture, $"  - {exemption}");
        }
        text.AppendLine();
        AppealRights(text);
        return await letterhead.WrapAsync(request, text.ToString(), sender, cancellationToken);
    }

    /// <summary>The nine required elements of the written response, G.L. c.66 §10(b) (legal.md 1.4, list [S]; clause numbers [U]).</summary>
    private static void WrittenResponse(StringBuilder text, Request request, StatutoryClocks clocks, bool denial)
    {
        // (1) Confirm receipt.
        text.AppendLine(Culture, $"1. Receipt. The district received your request ({request.TrackingNumber}) on {Day(clocks.ReceivedOn)}:");
        text.AppendLine(Quote(request.Description));
        // (2) and (3) Records not held, and who may hold them.
        text.AppendLine("2. Records not in the district's possession, custody or control: [[none, or list them]].");
        text.AppendLine("3. Agency or municipality that may hold those records, if known: [[name, or not applicable]].");
        // (4) Withheld records with specific exemptions; the RAO bears the burden of specificity.
        text.AppendLine(denial
            ? "4. Records withheld, with the specific exemption and why it applies to each: [[record — exemption under G.L. c.4 §7(26)(x) — reason]]."
            : "4. Records withheld, with the specific exemption and why it applies to each: [[none, or record — exemption — reason]].");
        // (5) Undue burden statement.
        text.AppendLine(denial
            ? "5. Records to be produced: [[none, or list]]."
            : "5. Records to be produced, and why their magnitude or difficulty (or multiple requests from you) makes more time necessary: [[detailed statement]].");
        // (6) Timeframe: at most the regime's production limit unless the requester agrees to a later date.
        text.AppendLine(Culture, $"6. Timeframe: the district will produce the records by {Day(clocks.ProductionDue.Date)}, unless you agree to a later date.");
        // (7) Offer to narrow.
        text.AppendLine("7. If you are willing to narrow the request, production may be faster or cheaper. We suggest: [[a reasonable modification, or offer to discuss]].");
        // (8) Itemized good-faith fee estimate.
        text.AppendLine("8. Itemized, good-faith fee estimate (the actual cost may vary):");
        FeeItems(text);
        // (9) Appeal rights.
        text.Append("9. ");
        AppealRights(text);
    }

    private static void FeeItems(StringBuilder text)
    {
        // 950 CMR 32.07(2): at most $0.05 per black-and-white page; staff time at the lowest capable employee's rate and at
        // most $25/hour; a municipality does not charge the first 2 hours (unless its population is 20,000 or fewer).
        text.AppendLine("   - Search and compilation: [[hours]] hours at $[[rate, at most 25]]/hour, less the first 2 hours = $[[amount]]");
        text.AppendLine("   - Segregation and redaction required by law: [[hours]] hours at $[[rate]]/hour = $[[amount]]");
        text.AppendLine("   - Copies: [[pages]] pages at $0.05 = $[[amount]] (electronic copies: no per-page charge)");
        text.AppendLine("   - Total: $[[total]]");
    }

    private static void AppealRights(StringBuilder text) =>
        text.AppendLine("You may appeal this response to the Supervisor of Records within 90 calendar days (G.L. c.66 §10A(a); 950 CMR 32.08), and you may seek judicial review in Superior Court (G.L. c.66 §10A(c)).");

    private static string LawOf(Request request) => request.GoverningLaw == GoverningLaw.StudentRecordAccess
        ? "603 CMR 23.07 (access to student records)"
        : "the Massachusetts Public Records Law, G.L. c.66 §10";

    private static string Day(DateOnly date) => date.ToString("dddd, MMMM d, yyyy", Culture);

    private static string Quote(string description)
    {
        var shortened = description.Length > 1500 ? description[..1500] + " …" : description;
        return string.Join('\n', shortened.Split('\n').Select(line => "> " + line.TrimEnd('\r')));
    }
}
