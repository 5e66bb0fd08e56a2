using Hangfire;
using RecordsRequests.Features.Documents;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Records;
using RecordsRequests.Features.Releases;
using RecordsRequests.Features.Requests;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Redactions;

/// <summary>
/// An officer's view of a request's records: upload a document, judge responsiveness, run detection, send the decided
/// set to counsel and, once counsel approved it, release the package through the leak gate.
/// </summary>
[Authorize(Policy = Policies.Officers)]
public sealed class RecordsModel(AppDbContext db, ContentStore store, RedactionWorkflow workflow, ReleaseProducer producer, ICurrentActor actor,
    TimeProvider clock, IOptions<RedactionOptions> options, IOptions<RecordsOptions> records, IBackgroundJobClient jobs) : PageModel
{
    public sealed record Row(Record Record, int Suggested, int Accepted, int Approved, int Rejected);

    public string TrackingNumber { get; private set; } = "";
    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public CounselReview? LatestReview { get; private set; }
    public bool RosterConfigured => options.Value.RosterPath is { Length: > 0 };
    public string? Message { get; private set; }
    public IReadOnlyList<LeakHit> LeakHits { get; private set; } = [];
    public string? ReleaseLink { get; private set; }
    public IReadOnlyList<string> ReleasedFiles { get; private set; } = [];

    [BindProperty]
    public IFormFile? Document { get; set; }

    public async Task<IActionResult> OnGetAsync(string trackingNumber, CancellationToken cancellationToken) =>
        await LoadAsync(trackingNumber, cancellationToken) ? Page() : NotFound();

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
            return $"{record.FileName}: {disposition}.";
        }, cancellationToken);

    public Task<IActionResult> OnPostDetectAsync(string trackingNumber, CancellationToken cancellationToken) =>
        ActAsync(trackingNumber, async request =>
        {
            var result = await workflow.SuggestAsync(request.Id, null, cancellationToken);
            return $"Detection found {result.Added} new suggestion(s)." + (RosterConfigured ? "" : " No roster is configured, so only structured identifiers were looked for.")
                + (result.NotReady.Count == 0 ? "" : $" Not read yet: {string.Join("; ", result.NotReady)}.");
        }, cancellationToken);

    public Task<IActionResult> OnPostSendAsync(string trackingNumber, CancellationToken cancellationToken) =>
        ActAsync(trackingNumber, async request =>
        {
            await workflow.SendToCounselAsync(request.Id, actor.Name, cancellationToken);
            return "Sent to counsel.";
        }, cancellationToken);

    public Task<IActionResult> OnPostReleaseAsync(string trackingNumber, CancellationToken cancellationToken) =>
        ActAsync(trackingNumber, async request =>
        {
            try
            {
                var result = await producer.ReleaseAsync(request.Id, actor.Name, cancellationToken);
                // The token is only ever shown here, once: the database keeps its hash.
                ReleaseLink = $"{records.Value.PublicBaseUrl.TrimEnd('/')}/release/{result.Token}";
                ReleasedFiles = result.FileNames;
                return "Released.";
            }
            catch (LeakDetectedException leak)
            {
                LeakHits = leak.Hits;
                return "Release blocked: redacted text is still present in the produced files.";
            }
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
        var records = await db.Set<Record>().AsNoTracking().Where(r => r.RequestId == request.Id).OrderBy(r => r.AddedAt).ThenBy(r => r.Id).ToListAsync(cancellationToken);
        var counts = await db.Set<Redaction>().AsNoTracking().Where(r => r.RequestId == request.Id)
            .GroupBy(r => new { r.RecordId, r.Status }).Select(g => new { g.Key.RecordId, g.Key.Status, Count = g.Count() }).ToListAsync(cancellationToken);
        int Count(Guid recordId, RedactionStatus status) => counts.Where(c => c.RecordId == recordId && c.Status == status).Sum(c => c.Count);
        Rows = records.Select(r => new Row(r, Count(r.Id, RedactionStatus.Suggested), Count(r.Id, RedactionStatus.Accepted),
            Count(r.Id, RedactionStatus.Approved), Count(r.Id, RedactionStatus.Rejected))).ToList();
        LatestReview = await db.Set<CounselReview>().AsNoTracking().Where(r => r.RequestId == request.Id)
            .OrderByDescending(r => r.DecidedAt).ThenByDescending(r => r.Id).FirstOrDefaultAsync(cancellationToken);
        return true;
    }
}
