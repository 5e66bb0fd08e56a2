using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;

namespace RecordsRequests.Features.Correspondence;

/// <summary>
/// The one catalog of requester letters: the wording shipped with the product, the fields each template may use, the
/// fields the law requires it to keep, and the admins' saved versions (history kept, newest in use). The appeal-rights
/// sentence lives here once, as the <c>{{appeal_rights}}</c> field, so every letter says it the same way.
/// </summary>
public sealed partial class LetterCatalog(AppDbContext db, TimeProvider clock)
{
    /// <summary>G.L. c.66 §10A(a), (c); 950 CMR 32.08(1): the right to appeal to the Supervisor of Records and to court.</summary>
    public const string AppealRights =
        "If you disagree with this response, you may appeal to the Supervisor of Records within 90 calendar days (G.L. c.66 §10A(a); 950 CMR 32.08), and you may also seek judicial review in the Superior Court (G.L. c.66 §10A(c)).";

    /// <summary>The fields every template may use, filled from the request and its statutory clocks.</summary>
    public static readonly IReadOnlyList<LetterField> CommonFields =
    [
        new("district", "the district's name"),
        new("tracking_number", "the request's tracking number"),
        new("received_on", "the day the request was received"),
        new("response_due", "the day the written response is due (10 business days)"),
        new("production_due", "the latest production day without the requester's agreement or an extension"),
        new("law", "the law the request is processed under"),
        new("request", "the request's own words, quoted"),
        new("appeal_rights", "the appeal-rights sentence (one wording for every letter)"),
    ];

    /// <summary>What the officer, the workflow or the release supplies for one kind of letter.</summary>
    public static IReadOnlyList<LetterField> InputsOf(LetterKind kind) => kind switch
    {
        LetterKind.Acknowledgement => [new("law_and_dates", "the law and the key dates, worded for the request's law"), new("status_link", "the requester's private status link")],
        LetterKind.Clarification => [new("question", "the officer's question")],
        LetterKind.Extension => [new("fee_items", "the itemised fee estimate (amounts from the fee calculation)")],
        LetterKind.FeeEstimate => [new("fee_items", "the itemised fee estimate (amounts from the fee calculation)"), new("note", "the officer's note, if any")],
        LetterKind.FinalResponse => [new("outcome", "what the district decided"), new("details", "the officer's details, if any")],
        LetterKind.Denial => [new("withheld", "each record withheld, its exemption and why"), new("fee_items", "the itemised fee estimate, if any")],
        LetterKind.Withdrawal => [new("note", "the officer's note, if any")],
        LetterKind.Release => [new("documents", "each document released, by its Bates range"), new("exemptions", "each exemption claimed, with its count and reason")],
        _ => [],
    };

    /// <summary>Fields a saved template must keep: what the law or the letter's purpose requires it to say.</summary>
    public static IReadOnlyList<string> RequiredOf(LetterKind kind) => kind switch
    {
        LetterKind.Acknowledgement => ["tracking_number", "law_and_dates", "status_link"],
        LetterKind.Clarification => ["question"],
        LetterKind.Extension => ["production_due", "fee_items", "appeal_rights"],
        LetterKind.FeeEstimate => ["fee_items", "appeal_rights"],
        LetterKind.FinalResponse => ["outcome", "appeal_rights"],
        LetterKind.Denial => ["withheld", "appeal_rights"],
        LetterKind.Withdrawal => ["tracking_number"],
        LetterKind.Release => ["documents", "exemptions", "appeal_rights"],
        _ => [],
    };

    /// <summary>Inputs that may be left out: they then vanish instead of asking the officer to fill them in.</summary>
    public static bool IsOptional(string field) => field is "details" or "note";

    /// <summary>The letters an officer writes by hand from the request page (release and withdrawal have their own actions).</summary>
    public static readonly IReadOnlyList<LetterKind> Writable =
        [LetterKind.Acknowledgement, LetterKind.Clarification, LetterKind.Extension, LetterKind.FeeEstimate, LetterKind.FinalResponse, LetterKind.Denial];

    /// <summary>The wording in use: the newest saved version, or the shipped one.</summary>
    public async Task<LetterText> CurrentAsync(LetterKind kind, CancellationToken cancellationToken)
    {
        var saved = await db.Set<LetterTemplateVersion>().AsNoTracking().Where(t => t.Kind == kind).OrderByDescending(t => t.Version)
            .FirstOrDefaultAsync(cancellationToken);
        return saved is null ? Shipped(kind) : new LetterText(saved.Subject, saved.Body);
    }

    public async Task<IReadOnlyList<LetterTemplateVersion>> HistoryAsync(LetterKind kind, CancellationToken cancellationToken) =>
        await db.Set<LetterTemplateVersion>().AsNoTracking().Where(t => t.Kind == kind).OrderByDescending(t => t.Version).ToListAsync(cancellationToken);

    /// <summary>What is wrong with a proposed wording (unknown or missing fields), in words; empty when it can be saved.</summary>
    public static IReadOnlyList<string> Problems(LetterKind kind, LetterText text)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(text.Subject))
        {
            problems.Add("The subject is empty.");
        }
        var known = CommonFields.Concat(InputsOf(kind)).Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        var used = FieldsIn(text.Subject + "\n" + text.Body);
        problems.AddRange(used.Where(f => !known.Contains(f)).Distinct().Select(f => $"{{{{{f}}}}} is not a field of this letter."));
        problems.AddRange(RequiredOf(kind).Where(f => !used.Contains(f)).Select(f => $"The letter must keep {{{{{f}}}}}: {Meaning(kind, f)}."));
        return problems;
    }

    /// <summary>Saves a new version (the history keeps every earlier one); returns the problems instead when it cannot.</summary>
    public async Task<IReadOnlyList<string>> SaveAsync(LetterKind kind, LetterText text, string note, string savedBy, CancellationToken cancellationToken)
    {
        var problems = Problems(kind, text);
        if (problems.Count > 0)
        {
            return problems;
        }
        var last = await db.Set<LetterTemplateVersion>().Where(t => t.Kind == kind).MaxAsync(t => (int?)t.Version, cancellationToken) ?? 0;
        db.Add(LetterTemplateVersion.Create(kind, last + 1, text.Subject, text.Body, note, savedBy, clock.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        return [];
    }

    /// <summary>Fills <c>{{field}}</c>s; a missing input becomes a <c>[[…]]</c> the officer must fill in before sending.</summary>
    public static string Fill(string template, IReadOnlyDictionary<string, string?> values, LetterKind kind)
    {
        var filled = Field().Replace(template, match =>
        {
            var name = match.Groups["name"].Value;
            if (values.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value))
            {
                return value.Trim();
            }
            return IsOptional(name) ? "" : $"[[{Meaning(kind, name)}]]";
        });
        // An optional field left empty would leave a gap of blank lines.
        return ExtraBlankLines().Replace(filled, "\n\n").Trim();
    }

    private static string Meaning(LetterKind kind, string field) =>
        CommonFields.Concat(InputsOf(kind)).FirstOrDefault(f => f.Name == field)?.Meaning ?? field;

    private static HashSet<string> FieldsIn(string text) =>
        Field().Matches(text).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"\{\{\s*(?<name>[a-z_]+)\s*\}\}")]
    private static partial Regex Field();

    [GeneratedRegex(@"\n{3,}")]
    private static partial Regex ExtraBlankLines();

    /// <summary>The wording shipped with the product; the legal content is cited (legal.md 1.4 for the written response).</summary>
    public static LetterText Shipped(LetterKind kind) => kind switch
    {
        LetterKind.Acknowledgement => new("We received your records request", """
            {{district}} received your request on {{received_on}}. Its tracking number is {{tracking_number}}. To write to us about it, reply to this e-mail: replies to it reach your request directly, while other messages are first checked by an officer.

            {{law_and_dates}}

            Follow your request, read our messages and download released records here:
            {{status_link}}
            Keep this link private: anyone who has it can see your request.
            """),
        LetterKind.Clarification => new("A question about your records request", """
            Thank you for your request of {{received_on}}. To find the records you asked for we need a little more information:

            {{question}}

            A request must reasonably describe the records (950 CMR 32.06(1)); narrowing it can also make production faster and cheaper. Please reply to this message, keeping the tracking number {{tracking_number}} in the subject.
            """),
        // The nine required elements of the written response, G.L. c.66 §10(b) (legal.md 1.4).
        LetterKind.Extension => new("Written response to your records request (G.L. c.66 §10(b))", """
            1. Receipt. The district received your request ({{tracking_number}}) on {{received_on}}:
            {{request}}
            2. Records not in the district's possession, custody or control: [[none, or list them]].
            3. Agency or municipality that may hold those records, if known: [[name, or not applicable]].
            4. Records withheld, with the specific exemption and why it applies to each: [[none, or record — exemption — reason]].
            5. Records to be produced, and why their magnitude or difficulty (or multiple requests from you) makes more time necessary: [[detailed statement]].
            6. Timeframe: the district will produce the records by {{production_due}}, unless you agree to a later date.
            7. If you are willing to narrow the request, production may be faster or cheaper. We suggest: [[a reasonable modification, or offer to discuss]].
            8. Itemized, good-faith fee estimate (the actual cost may vary):
            {{fee_items}}
            9. {{appeal_rights}}
            """),
        LetterKind.FeeEstimate => new("Fee estimate for your records request", """
            We received your request on {{received_on}}. Before work begins, here is our itemized, good-faith estimate of the fee (G.L. c.66 §10(b)(viii), §10(d); 950 CMR 32.07(2)):

            {{fee_items}}

            {{note}}

            The actual cost may vary from this estimate. The district may require payment of the estimated fee before it begins work. Reply to accept the estimate or to narrow your request; you may ask for a waiver or reduction if disclosure is in the public interest or you cannot pay (G.L. c.66 §10(d)).

            {{appeal_rights}}
            """),
        LetterKind.FinalResponse => new("Response to your records request", """
            {{outcome}}

            {{details}}

            {{appeal_rights}}
            """),
        LetterKind.Denial => new("Response to your records request: records withheld", """
            1. Receipt. The district received your request ({{tracking_number}}) on {{received_on}}:
            {{request}}
            2. Records not in the district's possession, custody or control: [[none, or list them]].
            3. Agency or municipality that may hold those records, if known: [[name, or not applicable]].
            4. Records withheld, with the specific exemption (G.L. c.4 §7 cl.26) and why it applies to each (G.L. c.66 §10(b)(iv)):
            {{withheld}}
            5. Records to be produced: [[none, or list]].
            6. Timeframe: any records to be produced will be produced by {{production_due}}, unless you agree to a later date.
            7. If you are willing to narrow the request, we will consider it again: [[a reasonable modification, or offer to discuss]].
            8. Fee: {{fee_items}}
            9. {{appeal_rights}}
            """),
        LetterKind.Withdrawal => new("Your records request is withdrawn", """
            As you asked, request {{tracking_number}} is withdrawn and the district has stopped work on it.

            {{note}}

            You may make a new request at any time.
            """),
        LetterKind.Release => new("Records released for your request", """
            In response to your request of {{received_on}}, the district is producing the following records, each page numbered with its Bates number:
            {{documents}}

            Portions withheld, with the exemption that applies (G.L. c.66 §10(b)(iv)); each redaction is marked on the page with its exemption and listed in the enclosed exemption log:
            {{exemptions}}

            {{appeal_rights}}
            """),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
