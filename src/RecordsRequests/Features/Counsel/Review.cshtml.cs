using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Documents;
using RecordsRequests.Features.Records;
using RecordsRequests.Features.Redactions;
using RecordsRequests.Features.Requests;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Counsel;

/// <summary>
/// Counsel see each record's pages with its redactions drawn on them, then approve the set, change a ground, add a
/// redaction (words or a drawn area, as officers do), remove one or put a removed one back, or return the set with
/// comments. Showing the unredacted pages is audited (RedactionReview.ViewUnredactedAsync).
/// </summary>
[Authorize(Policy = Policies.Counsel)]
public sealed class ReviewModel(AppDbContext db, RedactionReview review, ICurrentActor actor) : PageModel
{
    /// <summary>A record as counsel review it; <see cref="Viewer"/> is null while it is being prepared or when it failed.</summary>
    public sealed record RecordView(int Number, Record Record, PageViewer? Viewer, IReadOnlyList<Redaction> Redactions)
    {
        public string FormId => FormOf(Record);
    }

    /// <summary>Each record has its own "add a redaction" form, which its page viewer fills in.</summary>
    private static string FormOf(Record record) => $"add-{record.Id:N}";

    public string TrackingNumber { get; private set; } = "";
    public IReadOnlyList<RecordView> Records { get; private set; } = [];
    public string? Message { get; private set; }

    // An empty comment must bind as "", not null: approving without comment is normal.
    [BindProperty]
    [System.ComponentModel.DataAnnotations.DisplayFormat(ConvertEmptyStringToNull = false)]
    public string Comment { get; set; } = "";

    [BindProperty]
    public RedactionInput Add { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(string trackingNumber, CancellationToken cancellationToken) =>
        await LoadAsync(trackingNumber, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostApproveAsync(string trackingNumber, CancellationToken cancellationToken) =>
        await DecideAsync(trackingNumber, async id => { await review.ApproveAsync(id, actor.Name, Comment, cancellationToken); return "Approved."; }, cancellationToken);

    public async Task<IActionResult> OnPostReturnAsync(string trackingNumber, CancellationToken cancellationToken) =>
        await DecideAsync(trackingNumber, async id => { await review.ReturnAsync(id, actor.Name, Comment, cancellationToken); return "Returned to the officer."; },
            cancellationToken);

    public async Task<IActionResult> OnPostChangeAsync(string trackingNumber, Guid redactionId, string exemptionCode, CancellationToken cancellationToken) =>
        await DecideAsync(trackingNumber, async id =>
        {
            await review.ChangeExemptionAsync(id, redactionId, exemptionCode, Comment, actor.Name, cancellationToken);
            return "Exemption changed; approve the set again.";
        }, cancellationToken);

    /// <summary>Counsel's own redaction of selected words (or the exact text); it is theirs, so another member of counsel approves it.</summary>
    public async Task<IActionResult> OnPostAddWordsAsync(string trackingNumber, Guid recordId, CancellationToken cancellationToken) =>
        await DecideAsync(trackingNumber, async id => Shown(await Add.AddWordsAsync(review, db, await RecordOfAsync(id, recordId, cancellationToken), actor.Name,
            cancellationToken)), cancellationToken, clearAdd: true);

    public async Task<IActionResult> OnPostAddAreaAsync(string trackingNumber, Guid recordId, CancellationToken cancellationToken) =>
        await DecideAsync(trackingNumber, async id => Shown(await Add.AddAreaAsync(review, db, await RecordOfAsync(id, recordId, cancellationToken), actor.Name,
            cancellationToken)), cancellationToken, clearAdd: true);

    /// <summary>The redaction this post added, which its record's viewer shows when the page returns.</summary>
    private Guid? _justAdded;

    private string Shown(AddResult result)
    {
        _justAdded = result.Added?.Id;
        return result.Message;
    }

    /// <summary>Removing is rejecting: the words are released as they are, and the row stays visible so it can be put back.</summary>
    public async Task<IActionResult> OnPostRemoveAsync(string trackingNumber, Guid redactionId, CancellationToken cancellationToken) =>
        await DecideAsync(trackingNumber, async id =>
        {
            await EnsureOfRequestAsync(id, redactionId, cancellationToken);
            await review.DecideAsync(id, [redactionId], accept: false, actor.Name, cancellationToken);
            return "Redaction removed: that text will be released as it is. Approve the set again.";
        }, cancellationToken);

    public async Task<IActionResult> OnPostRestoreAsync(string trackingNumber, Guid redactionId, CancellationToken cancellationToken) =>
        await DecideAsync(trackingNumber, async id =>
        {
            await EnsureOfRequestAsync(id, redactionId, cancellationToken);
            await review.DecideAsync(id, [redactionId], accept: true, actor.Name, cancellationToken);
            return "Redaction put back.";
        }, cancellationToken);

    private async Task EnsureOfRequestAsync(Guid requestId, Guid redactionId, CancellationToken cancellationToken)
    {
        if (!await db.Set<Redaction>().AnyAsync(r => r.Id == redactionId && r.RequestId == requestId, cancellationToken))
        {
            throw new DomainException("That redaction is not part of this request.");
        }
    }

    /// <summary>Only a record of the request on screen: the id comes from the form.</summary>
    private async Task<Record> RecordOfAsync(Guid requestId, Guid recordId, CancellationToken cancellationToken) =>
        await db.Set<Record>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == recordId && r.RequestId == requestId, cancellationToken)
        ?? throw new DomainException("That record is not part of this request.");

    private async Task<IActionResult> DecideAsync(string trackingNumber, Func<Guid, Task<string>> decision, CancellationToken cancellationToken, bool clearAdd = false)
    {
        var request = await db.Set<Request>().SingleOrDefaultAsync(r => r.TrackingNumber == trackingNumber, cancellationToken);
        if (request is null)
        {
            return NotFound();
        }
        try
        {
            Message = await decision(request.Id);
            if (clearAdd && _justAdded is not null)
            {
                ModelState.Clear();
                Add = new RedactionInput { Category = Add.Category, ExemptionCode = Add.ExemptionCode };
            }
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
        var records = await db.Set<Record>().AsNoTracking().Where(r => r.RequestId == request.Id && r.Disposition != RecordDisposition.NotResponsive)
            .OrderBy(r => r.AddedAt).ThenBy(r => r.Id).ToListAsync(cancellationToken);
        var redactions = await db.Set<Redaction>().AsNoTracking().Where(r => r.RequestId == request.Id)
            .OrderBy(r => r.Status == RedactionStatus.Rejected).ThenBy(r => r.Start).ThenBy(r => r.End).ToListAsync(cancellationToken);
        var views = new List<RecordView>();
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            var mine = redactions.Where(r => r.RecordId == record.Id).ToList();
            PageViewer? viewer = null;
            if (record.PagesState == PagesState.Ready)
            {
                var pages = await review.ViewUnredactedAsync(record, actor.Name, cancellationToken);
                viewer = new PageViewer(TrackingNumber, record, pages, PagedText.Build(pages), mine, FormOf(record), _justAdded);
            }
            views.Add(new RecordView(i + 1, record, viewer, mine));
        }
        Records = views;
        return true;
    }
}
