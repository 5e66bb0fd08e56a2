using System.Globalization;
using Microsoft.Extensions.Options;
using RecordsRequests.Features.Deadlines;
using RecordsRequests.Features.Requests;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Correspondence;

/// <summary>
/// Drafts letters from the catalog's templates (<see cref="LetterCatalog"/>) and the request's data: tracking number,
/// dates from the statutory clocks, the governing law, and the inputs the officer, the workflow or the release supply.
/// Parts only an officer can decide are left as <c>[[…]]</c> placeholders, and a letter that still has one is not sent.
/// Every draft is put on the district's letterhead (<see cref="Letterhead"/>).
/// </summary>
public sealed class LetterTemplates(IStatutoryDateSource dates, IOptions<RecordsOptions> records, Letterhead letterhead, LetterCatalog catalog)
{
    public const string PlaceholderStart = "[[";

    private static readonly CultureInfo Culture = CultureInfo.GetCultureInfo("en-US");

    public static bool HasPlaceholders(string body) => body.Contains(PlaceholderStart, StringComparison.Ordinal);

    /// <summary>A draft from the template in use, on the district's letterhead, signed by <paramref name="sender"/> (the officer who will send it).</summary>
    public async Task<LetterDraft> DraftAsync(LetterKind kind, Request request, CancellationToken cancellationToken, string? sender = null,
        IReadOnlyDictionary<string, string?>? inputs = null) =>
        await DraftAsync(kind, await catalog.CurrentAsync(kind, cancellationToken), request, cancellationToken, sender, inputs);

    /// <summary>A draft from the given wording (an admin's preview of a template not saved yet).</summary>
    public async Task<LetterDraft> DraftAsync(LetterKind kind, LetterText template, Request request, CancellationToken cancellationToken, string? sender = null,
        IReadOnlyDictionary<string, string?>? inputs = null)
    {
        var clocks = await dates.ForAsync(request, cancellationToken);
        var values = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["district"] = records.Value.DistrictName,
            ["tracking_number"] = request.TrackingNumber,
            ["received_on"] = Day(clocks.ReceivedOn),
            ["response_due"] = Day(clocks.ResponseDue.Date),
            ["production_due"] = Day(clocks.ProductionDue.Date),
            ["law"] = LawOf(request),
            ["request"] = Quote(request.Description),
            ["appeal_rights"] = LetterCatalog.AppealRights,
            // The itemised lines an officer fills in when no calculated estimate is given (950 CMR 32.07(2)).
            ["fee_items"] = FeeItemsToFill,
        };
        foreach (var (name, value) in inputs ?? new Dictionary<string, string?>())
        {
            values[name] = value;
        }
        var subject = LetterCatalog.Fill(template.Subject, values, kind);
        var body = LetterCatalog.Fill(template.Body, values, kind);
        return new LetterDraft(kind, $"[{request.TrackingNumber}] {subject}", await letterhead.WrapAsync(request, body, sender, cancellationToken));
    }

    /// <summary>
    /// 950 CMR 32.07(2): at most $0.05 per black-and-white page; staff time at the lowest capable employee's rate and at
    /// most $25/hour; a municipality does not charge the first 2 hours. The amounts are the officer's (or, given as the
    /// <c>fee_items</c> input, the fee calculation's); the template only lays them out.
    /// </summary>
    private const string FeeItemsToFill = """
           - Search and compilation: [[hours]] hours at $[[rate, at most 25]]/hour, less the first 2 hours = $[[amount]]
           - Segregation and redaction required by law: [[hours]] hours at $[[rate]]/hour = $[[amount]]
           - Copies: [[pages]] pages at $0.05 = $[[amount]] (electronic copies: no per-page charge)
           - Total: $[[total]]
        """;

    private static string LawOf(Request request) => request.GoverningLaw == GoverningLaw.StudentRecordAccess
        ? "603 CMR 23.07 (access to student records)"
        : "the Massachusetts Public Records Law, G.L. c.66 §10";

    public static string Day(DateOnly date) => date.ToString("dddd, MMMM d, yyyy", Culture);

    private static string Quote(string description)
    {
        var shortened = description.Length > 1500 ? description[..1500] + " …" : description;
        return string.Join('\n', shortened.Split('\n').Select(line => "> " + line.TrimEnd('\r')));
    }
}
