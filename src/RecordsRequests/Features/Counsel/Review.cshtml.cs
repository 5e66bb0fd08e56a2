using RecordsRequests.Features.Documents;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Records;
using RecordsRequests.Features.Redactions;
using RecordsRequests.Features.Requests;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Counsel;

/// <summary>
/// Counsel see each record's text with its redactions marked, then approve the set, change a ground, or return it
/// with comments. Showing the unredacted text is audited (RedactionWorkflow.ViewUnredactedAsync).
/// </summary>
[Authorize(Policy = Policies.Counsel)]
public sealed class ReviewModel(AppDbContext db, RedactionWorkflow workflow, ICurrentActor actor) : PageModel
{
    public sealed record Segment(string Text, Redaction? Redaction);

    public sealed record RecordView(int Number, IReadOnlyList<Segment> Segments, IReadOnlyList<Redaction> Redactions);

    public string TrackingNumber { get; private set; } = "";
    public IReadOnlyList<RecordView> Records { get; private set; } = [];
    public string? Message { get; private set; }

    // An empty comment must bind as "", not null: approving without comment is normal.
    [BindProperty]
    [System.ComponentModel.DataAnnotations.DisplayFormat(ConvertEmptyStringToNull = false)]
    public string Comment { get; set; } = "";

    public async Task<IActionResult> OnGetAsync(string trackingNumber, CancellationToken cancellationToken) =>
        await LoadAsync(trackingNumber, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostApproveAsync(string trackingNumber, CancellationToken cancellationToken) =>
        await DecideAsync(trackingNumber, id => workflow.ApproveAsync(id, actor.Name, Comment, cancellationToken), "Approved.", cancellationToken);

    public async Task<IActionResult> OnPostReturnAsync(string trackingNumber, CancellationToken cancellationToken) =>
        await DecideAsync(trackingNumber, id => workflow.ReturnAsync(id, actor.Name, Comment, cancellationToken), "Returned to the officer.", cancellationToken);

    public async Task<IActionResult> OnPostChangeAsync(string trackingNumber, Guid redactionId, string exemptionCode, CancellationToken cancellationToken) =>
        await DecideAsync(trackingNumber, id => workflow.ChangeExemptionAsync(id, redactionId, exemptionCode, Comment, actor.Name, cancellationToken),
            "Exemption changed; approve the set again.", cancellationToken);

    private async Task<IActionResult> DecideAsync(string trackingNumber, Func<Guid, Task> decision, string done, CancellationToken cancellationToken)
    {
        var request = await db.Set<Request>().SingleOrDefaultAsync(r => r.TrackingNumber == trackingNumber, cancellationToken);
        if (request is null)
        {
            return NotFound();
        }
        try
        {
            await decision(request.Id);
            Message = done;
        }
        catch (DomainException e)
        {
            Message = e.Message;
        }
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
            .OrderBy(r => r.AddedAt).ToListAsync(cancellationToken);
        var redactions = await db.Set<Redaction>().AsNoTracking().Where(r => r.RequestId == request.Id && r.Status != RedactionStatus.Rejected)
            .OrderBy(r => r.Start).ToListAsync(cancellationToken);
        var views = new List<RecordView>();
        for (var i = 0; i < records.Count; i++)
        {
            if (records[i].PagesState != PagesState.Ready)
            {
                continue;
            }
            var text = PagedText.Build(await workflow.ViewUnredactedAsync(records[i], actor.Name, cancellationToken)).Text;
            var spans = redactions.Where(r => r.RecordId == records[i].Id).ToList();
            var segments = new List<Segment>();
            var position = 0;
            foreach (var span in spans.Where(s => s.Kind == RedactionKind.Text && s.Start >= position && s.End <= text.Length))
            {
                segments.Add(new Segment(text[position..span.Start], null));
                segments.Add(new Segment(text[span.Start..span.End], span));
                position = span.End;
            }
            segments.Add(new Segment(text[position..], null));
            views.Add(new RecordView(i + 1, segments, spans));
        }
        Records = views;
        return true;
    }
}
