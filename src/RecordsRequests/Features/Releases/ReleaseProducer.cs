using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RecordsRequests.Data;
using RecordsRequests.Features.Correspondence;
using RecordsRequests.Features.Documents;
using RecordsRequests.Features.Records;
using RecordsRequests.Features.Redactions;
using RecordsRequests.Features.Requests;
using RecordsRequests.Features.Shared;
using RecordsRequests.Features.Workflow;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Releases;

public sealed record ReleaseResult(Guid ReleaseId, string Token, IReadOnlyList<string> FileNames);

/// <summary>
/// Produces and releases a request's package: every responsive record's pages with counsel's approved redactions burned in,
/// an exemption log (PDF and CSV) and the response letter, checked by the leak gate before anything is stored or sent.
/// </summary>
public sealed class ReleaseProducer(AppDbContext db, ContentStore store, RedactionWorkflow redactions, Outbox outbox, TimeProvider clock,
    IOptions<RecordsOptions> records, RequestLifecycle lifecycle, PageLeakGate pageGate)
{
    public async Task<ReleaseResult> ReleaseAsync(Guid requestId, string officer, CancellationToken cancellationToken)
    {
        var request = await db.Set<Request>().Include(r => r.Requester).SingleAsync(r => r.Id == requestId, cancellationToken);
        var set = await db.Set<Redaction>().Where(r => r.RequestId == requestId).ToListAsync(cancellationToken);
        var approval = await db.Set<CounselReview>().Where(r => r.RequestId == requestId).OrderByDescending(r => r.DecidedAt).ThenByDescending(r => r.Id)
            .FirstOrDefaultAsync(cancellationToken);
        // Nothing leaves without counsel's approval of exactly this set (legal.md §2: the RAO carries the burden of each exemption).
        if (approval is not { Decision: CounselDecision.Approved })
        {
            throw new DomainException("Counsel have not approved the redactions of this request.");
        }
        if (set.Any(r => r.Status is RedactionStatus.Suggested or RedactionStatus.Accepted) || approval.SetFingerprint != RedactionWorkflow.Fingerprint(set))
        {
            throw new DomainException("The redactions changed after counsel approved them; counsel must approve the final set.");
        }
        // The release is the workflow's written response: refused unless the workflow is there (or at the fee, which a
        // release without an estimate decides as "no fee"), before anything is produced.
        if (await lifecycle.RefusalAsync(requestId, LifecycleEvent.ResponseChosen, cancellationToken) is { } refusal)
        {
            throw new DomainException(refusal);
        }
        var recordList = InFamilies(await db.Set<Record>().Where(r => r.RequestId == requestId && r.Disposition == RecordDisposition.Responsive)
            .ToListAsync(cancellationToken));
        if (recordList.Count == 0)
        {
            throw new DomainException("No record is marked responsive.");
        }
        if (recordList.FirstOrDefault(r => r.PagesState != PagesState.Ready) is { } notReady)
        {
            throw new DomainException($"{notReady.FileName} is not ready to release ({RedactionWorkflow.Describe(notReady)}). " +
                "Wait for it, or mark it not responsive if it cannot be read.");
        }
        if (set.FirstOrDefault(r => r.BlocksRelease) is { } unplaced)
        {
            throw new DomainException($"A redaction of {recordList.FirstOrDefault(r => r.Id == unplaced.RecordId)?.FileName} needs review again: {unplaced.PlacementProblem}");
        }

        var approved = set.Where(r => r.Status == RedactionStatus.Approved).ToList();
        var files = new List<(ProducedFile File, ReleaseFileKind Kind, string ContentType)>();
        var recordFiles = new List<ReleasedRecordFile>();
        var log = new List<(int RecordNumber, string Bates, Redaction Redaction)>();
        var bates = 1;
        var prefix = request.TrackingNumber;
        var ranges = new List<string>();
        for (var i = 0; i < recordList.Count; i++)
        {
            var record = recordList[i];
            var pages = await redactions.ReadPagesAsync(record, cancellationToken);
            var sources = new List<SourcePage>();
            foreach (var page in pages)
            {
                sources.Add(new SourcePage(page.Number, page.Width, page.Height, await store.ReadAllBytesAsync(page.ImageSha256, cancellationToken), page.HasColour, page.Words));
            }
            var withheld = approved.Where(r => r.RecordId == record.Id).ToList();
            var pdf = PageReleaseWriter.Write(sources, withheld.SelectMany(r => r.Boxes.Select(b => new BurnBox(r.Id, b, r.ExemptionCode))).ToList(), prefix, bates);
            foreach (var redaction in withheld)
            {
                var firstPage = pdf.Boxes.Where(b => b.RedactionId == redaction.Id).OrderBy(b => b.PageIndex).FirstOrDefault();
                log.Add((i + 1, firstPage?.Bates ?? pdf.FirstBates, redaction));
            }
            // Named by Bates number: an original file name can itself identify a student.
            var file = new ProducedFile($"{pdf.FirstBates}.pdf", pdf.Content);
            files.Add((file, ReleaseFileKind.Record, "application/pdf"));
            recordFiles.Add(new ReleasedRecordFile(file, pdf.Boxes, pages.Any(p => p.TextSource == PageTextSource.Ocr),
                withheld.Select(r => Secret(r, i + 1)).ToList(), prefix, bates));
            // The law presumes the native format where feasible (950 CMR 32.04(5)(d), 32.07(1)(c)-(d)): a record with no
            // redaction also goes out in its own format, cleaned of hidden content; the gate below scans it like the rest.
            var native = withheld.Count == 0 ? NativeCopy.Make(await store.ReadAllBytesAsync(record.Sha256, cancellationToken), record.FileName) : null;
            if (native is { Made: true })
            {
                files.Add((new ProducedFile($"{pdf.FirstBates}{native.Extension}", native.Copy!), ReleaseFileKind.NativeCopy, NativeContentType(native.Extension!)));
            }
            ranges.Add($"Record {i + 1}: {pdf.FirstBates} to {pdf.LastBates}{(native is { Made: true } ? $" (also in its own format, {pdf.FirstBates}{native.Extension})" : "")}");
            bates += pdf.PageCount;
        }

        var csv = ExemptionLogCsv(log);
        files.Add((new ProducedFile($"{prefix}-exemption-log.csv", Encoding.UTF8.GetBytes(csv)), ReleaseFileKind.ExemptionLogCsv, "text/csv"));
        files.Add((new ProducedFile($"{prefix}-exemption-log.pdf", ReleasePdfWriter.Write(ExemptionLogText(prefix, log), prefix + "-LOG", 1).Content),
            ReleaseFileKind.ExemptionLogPdf, "application/pdf"));
        files.Add((new ProducedFile($"{prefix}-response-letter.pdf", ReleasePdfWriter.Write(LetterText(request, ranges, approved), prefix + "-LTR", 1).Content),
            ReleaseFileKind.ResponseLetter, "application/pdf"));

        // The gate: read every produced file back and refuse the release on any trace of a withheld string, then render
        // the released pages again to prove every box is solid, and read OCR'd records again by OCR.
        var hits = ReleaseGate.Check(files.Select(f => f.File), approved.Select(r => Secret(r, recordList.FindIndex(x => x.Id == r.RecordId) + 1)).ToList()).ToList();
        hits.AddRange(await pageGate.CheckAsync(recordFiles, cancellationToken));
        if (hits.Count > 0)
        {
            throw new LeakDetectedException(hits);
        }

        var token = SecretLinkToken.Create();
        var release = Release.Create(requestId, SecretLinkToken.Hash(token), approval.SetFingerprint, officer, clock.GetUtcNow());
        foreach (var (file, kind, contentType) in files)
        {
            var stored = await store.PutAsync(file.Content, cancellationToken);
            release.Files.Add(ReleaseFile.Create(file.Name, contentType, stored.Sha256, stored.Length, kind));
        }
        db.Add(release);
        if (request.Status.CanMoveTo(RequestStatus.Responded))
        {
            request.MoveTo(RequestStatus.Responded, clock.GetUtcNow());
        }
        if (request.Requester.Email is { } email)
        {
            var link = $"{records.Value.PublicBaseUrl.TrimEnd('/')}/release/{token}";
            outbox.Queue(request.Id, MailKind.Release, email, request.Requester.Name, $"Records released for {request.TrackingNumber}",
                $"The records for your request {request.TrackingNumber} are ready: {link}\n\n" +
                "The package holds the records (with redactions explained in the exemption log) and the district's response letter.\n" +
                "Keep this link private: anyone who has it can download the package.", $"release:{release.Id}");
        }
        await db.SaveChangesAsync(cancellationToken);
        // The release is the written response when the workflow waits for one; its letter then names the exemptions.
        await lifecycle.CompleteThroughAsync(requestId, LifecycleEvent.ResponseChosen, approved.Count == 0 ? "full-release" : "partial-release",
            approved.Count == 0 ? null : string.Join('\n', ExemptionSummary(approved)), cancellationToken);
        return new ReleaseResult(release.Id, token, files.Select(f => f.File.Name).ToList());
    }

    private static string NativeContentType(string extension) => extension switch
    {
        ".docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ".csv" => "text/csv",
        _ => "text/plain",
    };

    /// <summary>What the gate looks for, and how a hit names it: never the withheld text itself.</summary>
    private static RedactedSecret Secret(Redaction redaction, int recordNumber) =>
        new(redaction.Text, $"{Describe(redaction.Category)} ({redaction.ExemptionCode}) in record {recordNumber}");

    /// <summary>Records in the order they were added, each e-mail followed by its attachments.</summary>
    private static List<Record> InFamilies(List<Record> records)
    {
        var ordered = new List<Record>();
        void Add(Record record)
        {
            ordered.Add(record);
            foreach (var child in records.Where(r => r.ParentRecordId == record.Id).OrderBy(r => r.AddedAt).ThenBy(r => r.Id))
            {
                Add(child);
            }
        }
        foreach (var root in records.Where(r => r.ParentRecordId is null || records.All(p => p.Id != r.ParentRecordId)).OrderBy(r => r.AddedAt).ThenBy(r => r.Id))
        {
            Add(root);
        }
        return ordered;
    }

    private static string ExemptionLogCsv(List<(int RecordNumber, string Bates, Redaction Redaction)> log)
    {
        var csv = new StringBuilder("record,page,exemption,citation,reason\n");
        foreach (var (number, bates, redaction) in log)
        {
            var exemption = ExemptionCatalog.Get(redaction.ExemptionCode);
            csv.Append(CultureInfo.InvariantCulture, $"{number},{bates},{Quote(exemption.Code)},{Quote(exemption.Citation)},{Quote(Reason(redaction))}\n");
        }
        return csv.ToString();
    }

    private static string ExemptionLogText(string prefix, List<(int RecordNumber, string Bates, Redaction Redaction)> log)
    {
        var text = new StringBuilder($"Exemption log for {prefix}\n\n");
        foreach (var (number, bates, redaction) in log)
        {
            var exemption = ExemptionCatalog.Get(redaction.ExemptionCode);
            text.Append(CultureInfo.InvariantCulture, $"Record {number}, page {bates}: [{exemption.Code}] {exemption.Citation}. {Reason(redaction)}\n");
        }
        if (log.Count == 0)
        {
            text.Append("No redactions.\n");
        }
        return text.ToString();
    }

    /// <summary>The reason says what kind of information was withheld, never the information.</summary>
    private static string Reason(Redaction redaction) => $"{Describe(redaction.Category)}: {ExemptionCatalog.Get(redaction.ExemptionCode).LetterReason}.";

    /// <summary>The category in the words the review pages use (<see cref="ReviewWords"/>), inside a sentence.</summary>
    private static string Describe(RedactionCategory category)
    {
        var words = ReviewWords.Of(category);
        return char.ToLowerInvariant(words[0]) + words[1..];
    }

    private string LetterText(Request request, List<string> ranges, List<Redaction> approved)
    {
        var district = records.Value.DistrictName;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{district}\nResponse to public records request {request.TrackingNumber}\n\n");
        text.Append("Dear requester,\n\nThe district has received your request and produces the enclosed records:\n");
        foreach (var range in ranges)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {range}\n");
        }
        // G.L. c.66 §10(b)(iv): identify what is withheld, with the specific exemption and the specific reason.
        text.Append("\nPortions of the records are withheld under the following exemptions (G.L. c.66 §10(b)(iv)); each redaction is marked in the records with its exemption and listed in the enclosed exemption log:\n");
        foreach (var line in ExemptionSummary(approved))
        {
            text.Append("  ").Append(line).Append('\n');
        }
        if (approved.Count == 0)
        {
            text.Append("  None: the records are produced in full.\n");
        }
        // G.L. c.66 §10A(a), (c): the right to petition the Supervisor of Records and to seek judicial review.
        text.Append("\nYou may appeal this response to the Supervisor of Records (G.L. c.66 §10A(a); 950 CMR 32.08) within 90 days, " +
            "and you may seek judicial review in the Superior Court (G.L. c.66 §10A(c)).\n\nRecords Access Officer\n");
        return text.ToString();
    }

    /// <summary>One line per exemption claimed: its code, citation, how many redactions and why (G.L. c.66 §10(b)(iv)).</summary>
    private static IEnumerable<string> ExemptionSummary(List<Redaction> approved) =>
        approved.GroupBy(r => r.ExemptionCode).OrderBy(g => g.Key, StringComparer.Ordinal).Select(group =>
        {
            var exemption = ExemptionCatalog.Get(group.Key);
            return string.Create(CultureInfo.InvariantCulture, $"[{exemption.Code}] {exemption.Citation}: {group.Count()} redaction(s) of {exemption.LetterReason}.");
        });

    private static string Quote(string value) => "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
