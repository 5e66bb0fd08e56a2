using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Documents;
using RecordsRequests.Features.Records;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Redactions;

/// <summary>
/// One record's pages with its redactions drawn on them. Officers accept or reject suggestions (one by one or in bulk)
/// and add their own by selecting words or drawing a box on a page (wwwroot/js/page-viewer.js fills in the form), by
/// keyboard, by typing the exact text or an area's coordinates. Every display of the unredacted pages is audited through
/// <see cref="RedactionReview.ViewUnredactedAsync"/>; a record still being prepared, or that failed, says so instead.
/// </summary>
[Authorize(Policy = Policies.Officers)]
public sealed class RecordReviewModel(AppDbContext db, RedactionReview review, ICurrentActor actor) : PageModel
{
    public string TrackingNumber { get; private set; } = "";
    public Record Record { get; private set; } = null!;
    /// <summary>The pages to review; null while the record is being prepared or when it failed.</summary>
    public PageViewer? Viewer { get; private set; }
    public IReadOnlyList<Redaction> Redactions { get; private set; } = [];
    public string? Message { get; private set; }

    /// <summary>Redactions made on the record's old text that could not be placed on its pages and still hold the release back.</summary>
    public IReadOnlyList<Redaction> NeedReviewAgain => Redactions.Where(r => r.BlocksRelease).ToList();

    [BindProperty]
    public RedactionInput Add { get; set; } = new();

    /// <summary>The redaction this post added, which the page shows when it returns.</summary>
    private Guid? _justAdded;

    public async Task<IActionResult> OnGetAsync(string trackingNumber, Guid recordId, CancellationToken cancellationToken) =>
        await LoadAsync(trackingNumber, recordId, cancellationToken) ? Page() : NotFound();

    /// <summary>
    /// "accept"/"reject" on a row decides that one suggestion; "decision" decides the ticked ones, and "accept-all" every
    /// suggestion of this record still undecided.
    /// </summary>
    public Task<IActionResult> OnPostDecideAsync(string trackingNumber, Guid recordId, List<Guid> selected, string? decision, Guid? accept, Guid? reject,
        CancellationToken cancellationToken) =>
        ActAsync(trackingNumber, recordId, async record =>
        {
            if (accept is { } one)
            {
                await review.DecideAsync(record.RequestId, [one], accept: true, actor.Name, cancellationToken);
                return "Accepted.";
            }
            if (reject is { } other)
            {
                await review.DecideAsync(record.RequestId, [other], accept: false, actor.Name, cancellationToken);
                return "Rejected.";
            }
            if (decision == "accept-all")
            {
                selected = await db.Set<Redaction>().Where(r => r.RecordId == record.Id && r.Status == RedactionStatus.Suggested).Select(r => r.Id)
                    .ToListAsync(cancellationToken);
            }
            if (selected.Count == 0)
            {
                return "Tick the suggestions to decide.";
            }
            // Only this record's redactions: the ids come from the form.
            var mine = await db.Set<Redaction>().Where(r => r.RecordId == record.Id && selected.Contains(r.Id)).Select(r => r.Id).ToListAsync(cancellationToken);
            var accepting = decision is "accept" or "accept-all";
            await review.DecideAsync(record.RequestId, mine, accepting, actor.Name, cancellationToken);
            return $"{(accepting ? "Accepted" : "Rejected")} {mine.Count} redaction(s).";
        }, cancellationToken);

    public Task<IActionResult> OnPostAddAsync(string trackingNumber, Guid recordId, CancellationToken cancellationToken) =>
        ActAsync(trackingNumber, recordId, record => Added(Add.AddWordsAsync(review, db, record, actor.Name, cancellationToken)), cancellationToken);

    public Task<IActionResult> OnPostAddAreaAsync(string trackingNumber, Guid recordId, CancellationToken cancellationToken) =>
        ActAsync(trackingNumber, recordId, record => Added(Add.AddAreaAsync(review, db, record, actor.Name, cancellationToken)), cancellationToken);

    private async Task<string> Added(Task<AddResult> adding)
    {
        var result = await adding;
        _justAdded = result.Added?.Id;
        if (result.Added is not null)
        {
            ClearAddForm();
        }
        return result.Message;
    }

    /// <summary>After a redaction is added the form starts empty, so a second click cannot resubmit the same span.</summary>
    private void ClearAddForm()
    {
        ModelState.Clear();
        Add = new RedactionInput { Category = Add.Category, ExemptionCode = Add.ExemptionCode };
    }

    private async Task<IActionResult> ActAsync(string trackingNumber, Guid recordId, Func<Record, Task<string>> action, CancellationToken cancellationToken)
    {
        var record = await FindAsync(trackingNumber, recordId, cancellationToken);
        if (record is null)
        {
            return NotFound();
        }
        try
        {
            Message = await action(record);
        }
        catch (DomainException e)
        {
            Message = e.Message;
        }
        db.ChangeTracker.Clear();
        await LoadAsync(trackingNumber, recordId, cancellationToken);
        return Page();
    }

    private Task<Record?> FindAsync(string trackingNumber, Guid recordId, CancellationToken cancellationToken) =>
        db.Set<Record>().AsNoTracking().Include(r => r.Request)
            .SingleOrDefaultAsync(r => r.Id == recordId && r.Request.TrackingNumber == trackingNumber, cancellationToken);

    private async Task<bool> LoadAsync(string trackingNumber, Guid recordId, CancellationToken cancellationToken)
    {
        var record = await FindAsync(trackingNumber, recordId, cancellationToken);
        if (record is null)
        {
            return false;
        }
        TrackingNumber = trackingNumber;
        Record = record;
        Redactions = await db.Set<Redaction>().AsNoTracking().Where(r => r.RecordId == record.Id)
            .OrderBy(r => r.PlacementProblem == null).ThenBy(r => r.Start).ThenBy(r => r.End).ToListAsync(cancellationToken);
        Viewer = null;
        if (record.PagesState == PagesState.Ready)
        {
            var pages = await review.ViewUnredactedAsync(record, actor.Name, cancellationToken);
            Viewer = new PageViewer(trackingNumber, record, pages, PagedText.Build(pages), Redactions, "add-redaction", _justAdded);
        }
        return true;
    }
}
