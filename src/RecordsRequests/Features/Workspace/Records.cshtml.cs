using Hangfire;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Documents;
using RecordsRequests.Features.Records;
using RecordsRequests.Features.Redactions;
using RecordsRequests.Features.Releases;
using RecordsRequests.Features.Requests;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Workspace;

/// <summary>
/// An officer's view of a request's records: upload a document, judge responsiveness, run detection, send the decided
/// set to counsel and, once counsel approved it, release the package through the leak gate.
/// </summary>
[Authorize(Policy = Policies.Officers)]
public sealed class RecordsModel(AppDbContext db, ContentStore store, RedactionReview review, ICurrentActor actor,
    TimeProvider clock, IBackgroundJobClient jobs, RosterSource rosters) : PageModel
{
    /// <summary>A record with its progress and counts; <see cref="Depth"/> is 1 for an attachment of an e-mail, 2 for an attachment's attachment.</summary>
    public sealed record Row(Record Record, RecordProgress Progress, int Depth, int Suggested, int Accepted, int Approved, int Rejected, int NeedReviewAgain);

    /// <summary>What the records page's script polls while any record is still being prepared.</summary>
    public sealed record ProgressView(bool Busy, IReadOnlyList<RecordProgress> Records);

    public string TrackingNumber { get; private set; } = "";
    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public CounselReview? LatestReview { get; private set; }
    public bool RosterConfigured { get; private set; }
    public string? Message { get; private set; }

    /// <summary>What was released so far, newest first, each file linked to the officers' copy.</summary>
    public IReadOnlyList<Release> Releases { get; private set; } = [];

    /// <summary>One line over the table while records are being prepared, so a screen reader hears progress without every cell.</summary>
    public string ProgressSummary
    {
        get
        {
            var busy = Rows.Count(r => r.Progress.Busy);
            var failed = Rows.Count(r => r.Record.PagesState == PagesState.Failed);
            var parts = new List<string>();
            if (busy > 0)
            {
                parts.Add(busy == 1 ? "1 record is being prepared; this list updates by itself." : $"{busy} records are being prepared; this list updates by itself.");
            }
            if (failed > 0)
            {
                parts.Add(failed == 1 ? "1 record could not be made into pages (see its reason)." : $"{failed} records could not be made into pages (see their reasons).");
            }
            return string.Join(' ', parts);
        }
    }

    [BindProperty]
    public IFormFile? Document { get; set; }

    public async Task<IActionResult> OnGetAsync(string trackingNumber, CancellationToken cancellationToken) =>
        await LoadAsync(trackingNumber, cancellationToken) ? Page() : NotFound();

    /// <summary>
    /// The records' progress as JSON (GET ?handler=Progress), for wwwroot/js/records-progress.js: the same officers-only
    /// page, so the same authorization, and only the records of the request in the address.
    /// </summary>
    public async Task<IActionResult> OnGetProgressAsync(string trackingNumber, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(trackingNumber, cancellationToken))
        {
            return NotFound();
        }
        Response.Headers.CacheControl = "no-store";
        return new JsonResult(new ProgressView(Rows.Any(r => r.Progress.Busy), Rows.Select(r => r.Progress).ToList()));
    }

    public Task<IActionResult> OnPostUploadAsync(string trackingNumber, CancellationToken cancellationToken) =>
        ActAsync(trackingNumber, async request =>
        {
            if (Document is null || Document.Length == 0)
            {
                return "Choose a file to upload.";
            }
            // Any file is stored as it arrived; what cannot be made into pages says so on this page, with its reason.
            var fileName = Path.GetFileName(Document.FileName);
            await using var content = Document.OpenReadStream();
            var stored = await store.PutAsync(content, cancellationToken);
            var record = Record.Attach(request.Id, fileName, Document.ContentType is { Length: > 0 } type ? type : "application/octet-stream",
                stored.Length, stored.Sha256, RecordSource.Upload, actor.Name, clock.GetUtcNow());
            // An officer uploads a document because it answers the request; they can still mark it not responsive.
            record.Judge(RecordDisposition.Responsive);
            db.Add(record);
            await db.SaveChangesAsync(cancellationToken);
            RecordPages.Enqueue(jobs, record.Id);
            return $"Uploaded {fileName}; its pages are being prepared.";
        }, cancellationToken);

    public Task<IActionResult> OnPostJudgeAsync(string trackingNumber, Guid recordId, RecordDisposition disposition, CancellationToken cancellationToken) =>
        ActAsync(trackingNumber, async request =>
        {
            var record = await db.Set<Record>().SingleOrDefaultAsync(r => r.Id == recordId && r.RequestId == request.Id, cancellationToken);
            if (record is null)
            {
                return "That record is not part of this request.";
            }
            record.Judge(disposition);
            await db.SaveChangesAsync(cancellationToken);
            return $"{record.FileName}: {ReviewWords.Of(disposition)}.";
        }, cancellationToken);

    public Task<IActionResult> OnPostDetectAsync(string trackingNumber, CancellationToken cancellationToken) =>
        ActAsync(trackingNumber, async request =>
        {
            var result = await review.SuggestAsync(request.Id, null, cancellationToken);
            return $"Detection found {result.Added} new suggestion(s)." + (RosterConfigured ? "" : " No roster is configured, so only structured identifiers were looked for.")
                + (result.NotReady.Count == 0 ? "" : $" Not read yet: {string.Join("; ", result.NotReady)}.");
        }, cancellationToken);

    public Task<IActionResult> OnPostSendAsync(string trackingNumber, CancellationToken cancellationToken) =>
        ActAsync(trackingNumber, async request =>
        {
            await review.SendToCounselAsync(request.Id, actor.Name, cancellationToken);
            return "Sent to counsel.";
        }, cancellationToken);

    private async Task<IActionResult> ActAsync(string trackingNumber, Func<Request, Task<string>> action, CancellationToken cancellationToken)
    {
        var request = await db.Set<Request>().SingleOrDefaultAsync(r => r.TrackingNumber == trackingNumber, cancellationToken);
        if (request is null)
        {
            return NotFound();
        }
        try
        {
            Message = await action(request);
        }
        catch (DomainException e)
        {
            Message = e.Message;
        }
        db.ChangeTracker.Clear();
        await LoadAsync(trackingNumber, cancellationToken);
        return Page();
    }

    private async Task<bool> LoadAsync(string trackingNumber, CancellationToken cancellationToken)
    {
        var request = await db.Set<Request>().AsNoTracking().SingleOrDefaultAsync(r => r.TrackingNumber == trackingNumber, cancellationToken);
        if (request is null)
        {
            return false;
        }
        TrackingNumber = request.TrackingNumber;
        RosterConfigured = await rosters.ExistsAsync(cancellationToken);
        var records = await db.Set<Record>().AsNoTracking().Where(r => r.RequestId == request.Id).OrderBy(r => r.AddedAt).ThenBy(r => r.Id).ToListAsync(cancellationToken);
        var counts = await db.Set<Redaction>().AsNoTracking().Where(r => r.RequestId == request.Id)
            .GroupBy(r => new { r.RecordId, r.Status }).Select(g => new { g.Key.RecordId, g.Key.Status, Count = g.Count() }).ToListAsync(cancellationToken);
        var misplaced = await db.Set<Redaction>().AsNoTracking()
            .Where(r => r.RequestId == request.Id && r.PlacementProblem != null && r.Status != RedactionStatus.Rejected)
            .GroupBy(r => r.RecordId).Select(g => new { RecordId = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.RecordId, g => g.Count, cancellationToken);
        int Count(Guid recordId, RedactionStatus status) => counts.Where(c => c.RecordId == recordId && c.Status == status).Sum(c => c.Count);
        var now = clock.GetUtcNow();
        var rows = new List<Row>();
        // Each e-mail is followed by its attachments (and theirs), so a family reads together.
        var children = records.Where(r => r.ParentRecordId is not null).ToLookup(r => r.ParentRecordId!.Value);
        void Add(Record record, int depth)
        {
            rows.Add(new Row(record, RecordProgress.Of(record, now), depth, Count(record.Id, RedactionStatus.Suggested), Count(record.Id, RedactionStatus.Accepted),
                Count(record.Id, RedactionStatus.Approved), Count(record.Id, RedactionStatus.Rejected), misplaced.GetValueOrDefault(record.Id)));
            foreach (var child in children[record.Id])
            {
                Add(child, depth + 1);
            }
        }
        var ids = records.Select(r => r.Id).ToHashSet();
        foreach (var record in records.Where(r => r.ParentRecordId is null || !ids.Contains(r.ParentRecordId.Value)))
        {
            Add(record, 0);
        }
        Rows = rows;
        LatestReview = await db.Set<CounselReview>().AsNoTracking().Where(r => r.RequestId == request.Id)
            .OrderByDescending(r => r.DecidedAt).ThenByDescending(r => r.Id).FirstOrDefaultAsync(cancellationToken);
        Releases = await db.Set<Release>().AsNoTracking().Include(r => r.Files).Where(r => r.RequestId == request.Id)
            .OrderByDescending(r => r.ReleasedAt).ToListAsync(cancellationToken);
        return true;
    }
}
