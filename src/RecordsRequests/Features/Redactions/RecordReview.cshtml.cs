using RecordsRequests.Features.Documents;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Records;
using RecordsRequests.Features.Requests;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Redactions;

/// <summary>
/// One record's extracted text with its redactions marked. Officers accept or reject suggestions (one by one or in bulk)
/// and add their own by selecting text (wwwroot/js/redact.js fills in the offsets), by typing the offsets, or by typing
/// the exact text. Every display of the unredacted text is audited through <see cref="RedactionWorkflow.ViewUnredactedAsync"/>.
/// </summary>
[Authorize(Policy = Policies.Officers)]
public sealed class RecordReviewModel(AppDbContext db, RedactionWorkflow workflow, ICurrentActor actor) : PageModel
{
    public sealed record Segment(string Text, Redaction? Redaction);

    public string TrackingNumber { get; private set; } = "";
    public Record Record { get; private set; } = null!;
    public IReadOnlyList<Segment> Segments { get; private set; } = [];
    public IReadOnlyList<Redaction> Redactions { get; private set; } = [];
    public string? Message { get; private set; }

    [BindProperty]
    public AddInput Add { get; set; } = new();

    public sealed class AddInput
    {
        public int? Start { get; set; }
        public int? End { get; set; }
        /// <summary>The exact text to withhold, for browsers without script: every occurrence not already redacted is added.</summary>
        public string? Exact { get; set; }
        public RedactionCategory Category { get; set; } = RedactionCategory.Other;
        public string? ExemptionCode { get; set; } = ExemptionCatalog.Ferpa;
        public string? Note { get; set; }
    }

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
                await workflow.DecideAsync(record.RequestId, [one], accept: true, actor.Name, cancellationToken);
                return "Accepted.";
            }
            if (reject is { } other)
            {
                await workflow.DecideAsync(record.RequestId, [other], accept: false, actor.Name, cancellationToken);
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
            await workflow.DecideAsync(record.RequestId, mine, accepting, actor.Name, cancellationToken);
            return $"{(accepting ? "Accepted" : "Rejected")} {mine.Count} redaction(s).";
        }, cancellationToken);

    public Task<IActionResult> OnPostAddAsync(string trackingNumber, Guid recordId, CancellationToken cancellationToken) =>
        ActAsync(trackingNumber, recordId, async record =>
        {
            var note = Add.Note ?? "";
            if (Add.Start is { } start && Add.End is { } end)
            {
                var added = await workflow.AddAsync(record.Id, start, end, Add.Category, Add.ExemptionCode ?? "", note, actor.Name, cancellationToken);
                ClearAddForm();
                return $"Redaction added: {added.Start}–{added.End}.";
            }
            if (string.IsNullOrEmpty(Add.Exact))
            {
                return "Select text in the record, or give the start and end, or the exact text to redact.";
            }
            var text = (await workflow.ReadTextAsync(record, cancellationToken)).Text;
            var taken = await db.Set<Redaction>().Where(r => r.RecordId == record.Id && r.Status != RedactionStatus.Rejected)
                .Select(r => new { r.Start, r.End }).ToListAsync(cancellationToken);
            var count = 0;
            for (var at = text.IndexOf(Add.Exact, StringComparison.Ordinal); at >= 0; at = text.IndexOf(Add.Exact, at + Add.Exact.Length, StringComparison.Ordinal))
            {
                var stop = at + Add.Exact.Length;
                if (taken.Any(t => t.Start < stop && at < t.End))
                {
                    continue;
                }
                await workflow.AddAsync(record.Id, at, stop, Add.Category, Add.ExemptionCode ?? "", note, actor.Name, cancellationToken);
                count++;
            }
            if (count == 0)
            {
                return "That text does not occur in the record outside existing redactions.";
            }
            ClearAddForm();
            return $"Added {count} redaction(s).";
        }, cancellationToken);

    /// <summary>After a redaction is added the form starts empty, so a second click cannot resubmit the same span.</summary>
    private void ClearAddForm()
    {
        ModelState.Clear();
        Add = new AddInput();
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
        var text = PagedText.Build(await workflow.ViewUnredactedAsync(record, actor.Name, cancellationToken)).Text;
        Redactions = await db.Set<Redaction>().AsNoTracking().Where(r => r.RecordId == record.Id).OrderBy(r => r.Start).ThenBy(r => r.End)
            .ToListAsync(cancellationToken);
        var segments = new List<Segment>();
        var position = 0;
        // Rejected redactions are not marked; overlaps cannot occur among the rest (AddAsync and SuggestAsync refuse them).
        foreach (var span in Redactions.Where(r => r.Kind == RedactionKind.Text && r.Status != RedactionStatus.Rejected && r.Start >= position && r.End <= text.Length))
        {
            segments.Add(new Segment(text[position..span.Start], null));
            segments.Add(new Segment(text[span.Start..span.End], span));
            position = span.End;
        }
        segments.Add(new Segment(text[position..], null));
        Segments = segments;
        return true;
    }
}
