using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RecordsRequests.Data;
using RecordsRequests.Features.Audit;
using RecordsRequests.Features.Correspondence;
using RecordsRequests.Features.Documents;
using RecordsRequests.Features.Mail;
using RecordsRequests.Features.Records;
using RecordsRequests.Features.Redactions;
using RecordsRequests.Features.Requests;
using RecordsRequests.Features.Shared;
using RecordsRequests.Features.Workflow;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Releases;

/// <summary>
/// Produces and releases a request's package: every responsive record's pages with counsel's approved redactions burned in,
/// an exemption log (PDF and CSV) and the response letter, checked by the leak gate before anything is stored or sent.
/// </summary>
public sealed class ReleaseProducer(AppDbContext db, ContentStore store, RedactionReview redactions, Outbox outbox, TimeProvider clock,
    IOptions<RecordsOptions> records, RequestLifecycle lifecycle, PageLeakGate pageGate, LetterTemplates letters)
{
    private sealed record Ready(Request Request, List<Redaction> Set, CounselReview Approval, List<Record> Records);

    /// <summary>What a release would send now, or why it cannot; nothing is produced or stored.</summary>
    public async Task<ReleasePlan> PlanAsync(Guid requestId, string officer, CancellationToken cancellationToken)
    {
        var request = await db.Set<Request>().AsNoTracking().Include(r => r.Requester).SingleAsync(r => r.Id == requestId, cancellationToken);
        try
        {
            var ready = await CheckAsync(requestId, cancellationToken);
            var recordIds = ready.Records.Select(r => r.Id).ToList();
            var pageCounts = await db.Set<DocumentPage>().Where(p => recordIds.Contains(p.RecordId)).GroupBy(p => p.RecordId)
                .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
            var documents = Number(ready, ready.Records.Select(r => pageCounts.GetValueOrDefault(r.Id)).ToList());
            var approved = ready.Set.Where(r => r.Status == RedactionStatus.Approved).ToList();
            var draft = await DraftLetterAsync(ready.Request, documents, approved, officer, cancellationToken);
            return new ReleasePlan(null, documents, ExemptionSummary(approved).ToList(), request.Requester.Name, request.Requester.Email, draft.Subject, draft.Body);
        }
        catch (DomainException refused)
        {
            return new ReleasePlan(refused.Message, [], [], request.Requester.Name, request.Requester.Email, "", "");
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>
    /// Releases the package. <paramref name="letter"/> is the response letter as the officer edited it on the confirmation
    /// page; without it, the drafted letter goes out as drafted.
    /// </summary>
    public async Task<ReleaseResult> ReleaseAsync(Guid requestId, string officer, CancellationToken cancellationToken, string? letter = null)
    {
        var (request, set, approval, recordList) = await CheckAsync(requestId, cancellationToken);
        var prefix = request.TrackingNumber;
        var ready = new Ready(request, set, approval, recordList);
        var pagesOf = new List<IReadOnlyList<DocumentPage>>();
        foreach (var record in recordList)
        {
            pagesOf.Add(await redactions.ReadPagesAsync(record, cancellationToken));
        }
        var planned = Number(ready, pagesOf.Select(p => p.Count).ToList());
        if (letter is not null && LetterTemplates.HasPlaceholders(letter))
        {
            throw new DomainException("Replace every [[…]] in the letter before releasing.");
        }
        var approved = set.Where(r => r.Status == RedactionStatus.Approved).ToList();
        var files = new List<(ProducedFile File, ReleaseFileKind Kind, string ContentType)>();
        var recordFiles = new List<ReleasedRecordFile>();
        var documents = new List<ReleasedDocument>();
        var log = new List<(int RecordNumber, string Bates, Redaction Redaction)>();
        for (var i = 0; i < recordList.Count; i++)
        {
            var record = recordList[i];
            var pages = pagesOf[i];
            var bates = planned[i].FirstBatesNumber;
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
            documents.Add(new ReleasedDocument(i + 1, pdf.FirstBates, pdf.LastBates, pdf.PageCount, withheld.Count));
        }

        var csv = ExemptionLogCsv(log);
        files.Add((new ProducedFile($"{prefix}-exemption-log.csv", Encoding.UTF8.GetBytes(csv)), ReleaseFileKind.ExemptionLogCsv, "text/csv"));
        files.Add((new ProducedFile($"{prefix}-exemption-log.pdf", ReleasePdfWriter.Write(ExemptionLogText(prefix, log), prefix + "-LOG", 1).Content),
            ReleaseFileKind.ExemptionLogPdf, "application/pdf"));
        // The letter names the documents by the ranges just burned: both came from Number, with these pages.
        var draft = await DraftLetterAsync(request, planned, approved, officer, cancellationToken);
        letter ??= draft.Body;
        files.Add((new ProducedFile($"{prefix}-response-letter.pdf", ReleasePdfWriter.Write(letter, prefix + "-LTR", 1).Content),
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
            var document = kind is ReleaseFileKind.Record or ReleaseFileKind.NativeCopy
                ? documents.FirstOrDefault(d => file.Name.StartsWith(d.FirstBates + ".", StringComparison.Ordinal))
                : null;
            release.Files.Add(ReleaseFile.Create(file.Name, contentType, stored.Sha256, stored.Length, kind, document));
        }
        db.Add(release);
        if (request.Status.CanMoveTo(RequestStatus.Responded))
        {
            request.MoveTo(RequestStatus.Responded, clock.GetUtcNow());
        }
        // One e-mail per release: the greeting, the private link, then the response letter itself (also in the package).
        if (request.Requester.Email is { } email)
        {
            var link = $"{records.Value.PublicBaseUrl.TrimEnd('/')}/release/{token}";
            outbox.Queue(request.Id, MailKind.Release, email, request.Requester.Name, draft.Subject,
                $"Dear {Greeting.NameFor(request.Requester.Name)},\n\n" +
                $"The district's response to your request {request.TrackingNumber} is below, and the records are ready to download at this private link:\n{link}\n\n" +
                $"The page lists each document with its page numbers and lets you download them one by one or all together. Keep the link private: anyone who has it can download the records.\n\n" +
                $"----------------------------------------\n\n{letter}", $"release:{release.Id}");
        }
        else
        {
            db.Add(AuditEvent.Create(clock.GetUtcNow(), officer, "Workflow.PostalLetterNeeded", nameof(Release), release.Id.ToString(), request.Id,
                after: JsonSerializer.SerializeToDocument(new { kind = "release" })));
        }
        await db.SaveChangesAsync(cancellationToken);
        // The release is the written response when the workflow waits for one; its letter then names the exemptions.
        await lifecycle.CompleteThroughAsync(requestId, LifecycleEvent.ResponseChosen, approved.Count == 0 ? "full-release" : "partial-release",
            approved.Count == 0 ? null : string.Join('\n', ExemptionSummary(approved)), cancellationToken);
        return new ReleaseResult(release.Id, token, files.Select(f => f.File.Name).ToList());
    }

    /// <summary>Everything that must hold before a release, checked in this order; the first that fails is the refusal.</summary>
    private async Task<Ready> CheckAsync(Guid requestId, CancellationToken cancellationToken)
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
        if (set.Any(r => r.Status is RedactionStatus.Suggested or RedactionStatus.Accepted) || approval.SetFingerprint != RedactionReview.Fingerprint(set))
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
            throw new DomainException($"{notReady.FileName} is not ready to release ({RedactionReview.Describe(notReady)}). " +
                "Wait for it, or mark it not responsive if it cannot be read.");
        }
        if (set.FirstOrDefault(r => r.BlocksRelease) is { } unplaced)
        {
            throw new DomainException($"A redaction of {recordList.FirstOrDefault(r => r.Id == unplaced.RecordId)?.FileName} needs review again: {unplaced.PlacementProblem}");
        }
        return new Ready(request, set, approval, recordList);
    }

    /// <summary>
    /// The one numbering of a release, used by the confirmation page and by the release itself: one Bates number per
    /// page burned, counted from 1 across the records in release order. <paramref name="pageCounts"/> are the stored
    /// pages of each record (what <see cref="RedactionReview.ReadPagesAsync"/> returns and the release burns), never
    /// a count kept beside them.
    /// </summary>
    private static List<PlannedDocument> Number(Ready ready, IReadOnlyList<int> pageCounts)
    {
        var documents = new List<PlannedDocument>();
        var bates = 1;
        for (var i = 0; i < ready.Records.Count; i++)
        {
            var record = ready.Records[i];
            var redactionCount = ready.Set.Count(r => r.RecordId == record.Id && r.Status == RedactionStatus.Approved);
            var pages = pageCounts[i];
            documents.Add(new PlannedDocument(i + 1, record.FileName, pages, ReleasePdfWriter.Bates(ready.Request.TrackingNumber, bates),
                ReleasePdfWriter.Bates(ready.Request.TrackingNumber, bates + pages - 1), redactionCount, bates));
            bates += pages;
        }
        return documents;
    }

    private async Task<LetterDraft> DraftLetterAsync(Request request, IReadOnlyList<PlannedDocument> documents, List<Redaction> approved, string officer,
        CancellationToken cancellationToken)
    {
        var lines = documents.Select(d => string.Create(CultureInfo.InvariantCulture,
            $"  - Document {d.Number}: {d.FirstBates} to {d.LastBates} ({(d.PageCount == 1 ? "1 page" : $"{d.PageCount} pages")}" +
            $"{(d.RedactionCount == 0 ? ", in full" : d.RedactionCount == 1 ? ", 1 redaction" : $", {d.RedactionCount} redactions")})"));
        var exemptions = approved.Count == 0 ? ["None: the records are produced in full."] : ExemptionSummary(approved);
        var draft = await letters.DraftAsync(LetterKind.Release, request, cancellationToken, officer, new Dictionary<string, string?>
        {
            ["documents"] = string.Join('\n', lines),
            ["exemptions"] = string.Join('\n', exemptions.Select(e => "  - " + e)),
        });
        return draft;
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

    /// <summary>One line per exemption claimed: its code, citation, how many redactions and why (G.L. c.66 §10(b)(iv)).</summary>
    private static IEnumerable<string> ExemptionSummary(List<Redaction> approved) =>
        approved.GroupBy(r => r.ExemptionCode).OrderBy(g => g.Key, StringComparer.Ordinal).Select(group =>
        {
            var exemption = ExemptionCatalog.Get(group.Key);
            return string.Create(CultureInfo.InvariantCulture, $"[{exemption.Code}] {exemption.Citation}: {group.Count()} redaction(s) of {exemption.LetterReason}.");
        });

    private static string Quote(string value) => "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
