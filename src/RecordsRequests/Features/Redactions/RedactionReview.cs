using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RecordsRequests.Data;
using RecordsRequests.Features.Audit;
using RecordsRequests.Features.Documents;
using RecordsRequests.Features.Mail;
using RecordsRequests.Features.Records;
using RecordsRequests.Features.Requests;
using RecordsRequests.Features.Workflow;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Redactions;

/// <summary>
/// Proposing, deciding and approving redactions. Officers accept or reject suggestions and add their own; counsel
/// approve the final set, change a ground, or return it with comments. Unless configured otherwise, nobody approves a
/// redaction they proposed (<see cref="RedactionOptions.ProposerMayApprove"/>).
/// </summary>
public sealed class RedactionReview(AppDbContext db, TimeProvider clock, IOptions<RedactionOptions> options, RequestLifecycle lifecycle,
    Outbox outbox, IOptions<RecordsOptions> records, RosterSource rosters)
{
    public const string DetectorName = "detector";

    /// <summary>A record's pages in order; a record still being converted, or that failed, has none to review yet.</summary>
    public async Task<IReadOnlyList<DocumentPage>> ReadPagesAsync(Record record, CancellationToken cancellationToken)
    {
        if (record.PagesState != PagesState.Ready)
        {
            throw new DomainException(record.PagesState == PagesState.Failed
                ? $"{record.FileName} could not be made into pages: {record.PagesFailure}"
                : $"{record.FileName} is still being prepared ({Describe(record)}); try again when it is ready.");
        }
        return await db.Set<DocumentPage>().AsNoTracking().Where(p => p.RecordId == record.Id).OrderBy(p => p.Number).ToListAsync(cancellationToken);
    }

    public async Task<PagedText> ReadTextAsync(Record record, CancellationToken cancellationToken) =>
        PagedText.Build(await ReadPagesAsync(record, cancellationToken));

    /// <summary>A record's state in words, as the records page shows it.</summary>
    public static string Describe(Record record) => record.PagesState switch
    {
        PagesState.Queued => "waiting to be converted",
        PagesState.Converting => "converting",
        PagesState.Reading when record.PageCount > 0 => $"reading page {Math.Min(record.PagesDone + 1, record.PageCount)} of {record.PageCount}",
        PagesState.Reading => "reading pages",
        PagesState.Ready => record.PageCount == 1 ? "1 page" : $"{record.PageCount} pages",
        PagesState.Failed => $"failed: {record.PagesFailure}",
        _ => record.PagesState.ToString(),
    };

    /// <summary>The unredacted pages for a staff member's review; every such view is audited (603 CMR 23.07(1) access log).</summary>
    public async Task<IReadOnlyList<DocumentPage>> ViewUnredactedAsync(Record record, string viewer, CancellationToken cancellationToken)
    {
        var pages = await ReadPagesAsync(record, cancellationToken);
        db.Add(AuditEvent.Create(clock.GetUtcNow(), viewer, ViewedUnredacted, nameof(Record), record.Id.ToString(), record.RequestId));
        await db.SaveChangesAsync(cancellationToken);
        return pages;
    }

    public const string ViewedUnredacted = "Record.ViewedUnredacted";

    /// <summary>How long one audited view covers the page pictures the same person then loads of the same record.</summary>
    public static readonly TimeSpan PictureViewCoveredFor = TimeSpan.FromMinutes(30);

    /// <summary>
    /// A page picture was served to a staff member. The review page audits its own load, and the pictures it shows
    /// follow within seconds; a picture fetched without such a view (opened directly, or long after) is audited here,
    /// once per viewer and record within <see cref="PictureViewCoveredFor"/>, so the access log misses no viewing and
    /// is not flooded with a line per picture.
    /// </summary>
    public async Task AuditPictureViewAsync(Record record, string viewer, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var since = now - PictureViewCoveredFor;
        var recordId = record.Id.ToString();
        if (await db.Set<AuditEvent>().AnyAsync(a => a.RequestId == record.RequestId && a.OccurredAt > since && a.Action == ViewedUnredacted
            && a.EntityId == recordId && a.Actor == viewer, cancellationToken))
        {
            return;
        }
        db.Add(AuditEvent.Create(now, viewer, ViewedUnredacted, nameof(Record), recordId, record.RequestId));
        await db.SaveChangesAsync(cancellationToken);
    }

    public sealed record SuggestResult(int Added, IReadOnlyList<string> NotReady);

    /// <summary>
    /// Runs the detectors over every record of a request that has its pages and stores new suggestions. Records still
    /// being converted, or that failed, are named in the result instead: one broken file never stops the others.
    /// </summary>
    public async Task<SuggestResult> SuggestAsync(Guid requestId, Roster? roster, CancellationToken cancellationToken)
    {
        roster ??= await rosters.LoadAsync(cancellationToken);
        var detector = new PiiDetector(roster, options.Value);
        var records = await db.Set<Record>().Where(r => r.RequestId == requestId && r.Disposition != RecordDisposition.NotResponsive).ToListAsync(cancellationToken);
        var added = 0;
        var notReady = new List<string>();
        foreach (var record in records)
        {
            if (record.PagesState != PagesState.Ready)
            {
                notReady.Add($"{record.FileName} ({Describe(record)})");
                continue;
            }
            var text = await ReadTextAsync(record, cancellationToken);
            var existing = await db.Set<Redaction>().Where(r => r.RecordId == record.Id && r.Kind == RedactionKind.Text).Select(r => new { r.Start, r.End })
                .ToListAsync(cancellationToken);
            foreach (var suggestion in detector.Detect(text.Text).Suggestions)
            {
                if (existing.Any(e => e.Start < suggestion.End && suggestion.Start < e.End))
                {
                    continue;
                }
                db.Add(Redaction.Propose(record, text, suggestion.Start, suggestion.End, suggestion.Category, suggestion.ExemptionCode,
                    suggestion.Reason, DetectorName, clock.GetUtcNow(), RedactionStatus.Suggested));
                added++;
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        return new SuggestResult(added, notReady);
    }

    /// <summary>An officer's own redaction of selected text; it counts as accepted by its proposer.</summary>
    public async Task<Redaction> AddAsync(Guid recordId, int start, int end, RedactionCategory category, string exemptionCode, string note,
        string officer, CancellationToken cancellationToken)
    {
        var record = await db.Set<Record>().SingleAsync(r => r.Id == recordId, cancellationToken);
        var text = await ReadTextAsync(record, cancellationToken);
        if (await db.Set<Redaction>().AnyAsync(r => r.RecordId == recordId && r.Kind == RedactionKind.Text && r.Start < end && start < r.End
            && r.Status != RedactionStatus.Rejected, cancellationToken))
        {
            throw new DomainException("The selection overlaps a redaction already proposed.");
        }
        var redaction = Redaction.Propose(record, text, start, end, category, exemptionCode, note, officer, clock.GetUtcNow(), RedactionStatus.Accepted);
        db.Add(redaction);
        await db.SaveChangesAsync(cancellationToken);
        return redaction;
    }

    /// <summary>An officer's rectangle on a page (a photo, a signature, handwriting, a table); it counts as accepted by its proposer.</summary>
    public async Task<Redaction> AddAreaAsync(Guid recordId, PageBox box, RedactionCategory category, string exemptionCode, string note, string officer,
        CancellationToken cancellationToken)
    {
        var record = await db.Set<Record>().SingleAsync(r => r.Id == recordId, cancellationToken);
        var pages = await ReadPagesAsync(record, cancellationToken);
        var page = pages.FirstOrDefault(p => p.Number == box.Page) ?? throw new DomainException("Draw the area on a page of this record.");
        var redaction = Redaction.ProposeArea(record, PagedText.Build(pages), box.ClipTo(page.Width, page.Height), category, exemptionCode, note, officer,
            clock.GetUtcNow(), RedactionStatus.Accepted);
        db.Add(redaction);
        await db.SaveChangesAsync(cancellationToken);
        return redaction;
    }

    /// <summary>Accepts or rejects suggestions one by one or in bulk (an officer's decision, before counsel).</summary>
    public async Task DecideAsync(Guid requestId, IReadOnlyCollection<Guid> redactionIds, bool accept, string officer, CancellationToken cancellationToken)
    {
        var redactions = await db.Set<Redaction>().Where(r => r.RequestId == requestId && redactionIds.Contains(r.Id)).ToListAsync(cancellationToken);
        foreach (var redaction in redactions)
        {
            redaction.Decide(accept ? RedactionStatus.Accepted : RedactionStatus.Rejected, officer, clock.GetUtcNow());
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// An officer hands the decided set to counsel: every suggestion must be accepted or rejected first, because counsel
    /// approve a final set, not a draft. The request moves to "awaiting counsel" when its status allows it.
    /// </summary>
    public async Task SendToCounselAsync(Guid requestId, string officer, CancellationToken cancellationToken)
    {
        var statuses = await db.Set<Redaction>().Where(r => r.RequestId == requestId).Select(r => r.Status).ToListAsync(cancellationToken);
        if (statuses.Contains(RedactionStatus.Suggested))
        {
            throw new DomainException("Accept or reject every suggestion before sending the set to counsel.");
        }
        if (!statuses.Contains(RedactionStatus.Accepted))
        {
            throw new DomainException("There are no accepted redactions waiting for counsel.");
        }
        // Refused before anything changes when the workflow is somewhere sending to counsel cannot complete.
        if (await lifecycle.RefusalAsync(requestId, LifecycleEvent.ReviewCompleted, cancellationToken) is { } refusal)
        {
            throw new DomainException(refusal);
        }
        var request = await db.Set<Request>().SingleAsync(r => r.Id == requestId, cancellationToken);
        if (request.Status == RequestStatus.InReview)
        {
            request.MoveTo(RequestStatus.AwaitingCounsel, clock.GetUtcNow());
        }
        db.Add(AuditEvent.Create(clock.GetUtcNow(), officer, "Redactions.SentToCounsel", nameof(Request), requestId.ToString(), requestId));
        await db.SaveChangesAsync(cancellationToken);
        // Sending the set to counsel is the review step's "ready" (completing collection first if the workflow is
        // still there). A request without a lifecycle has only the status moved above.
        await CompleteAsync(requestId, LifecycleEvent.ReviewCompleted, "ready", null, cancellationToken);
    }

    /// <summary>Counsel approve the request's whole final set: every redaction decided, none proposed by counsel (unless allowed).</summary>
    public async Task ApproveAsync(Guid requestId, string counsel, string comment, CancellationToken cancellationToken)
    {
        await RefuseUnlessWithCounselAsync(requestId, cancellationToken);
        var redactions = await db.Set<Redaction>().Where(r => r.RequestId == requestId).ToListAsync(cancellationToken);
        if (redactions.Any(r => r.Status == RedactionStatus.Suggested))
        {
            throw new DomainException("Some suggestions are still undecided; an officer must accept or reject each before counsel approves.");
        }
        if (!options.Value.ProposerMayApprove && redactions.Any(r => r.Status != RedactionStatus.Rejected && r.ProposedBy == counsel))
        {
            throw new DomainException("You proposed some of these redactions; another member of counsel must approve them.");
        }
        foreach (var redaction in redactions.Where(r => r.Status == RedactionStatus.Accepted))
        {
            redaction.Decide(RedactionStatus.Approved, counsel, clock.GetUtcNow());
        }
        db.Add(CounselReview.Record(requestId, CounselDecision.Approved, counsel, comment, Fingerprint(redactions), clock.GetUtcNow()));
        // The request says what is true now: approved, the fee and the response next (the workflow's fee step sets no status).
        var request = await db.Set<Request>().SingleAsync(r => r.Id == requestId, cancellationToken);
        if (request.Status.CanMoveTo(RequestStatus.CounselApproved))
        {
            request.MoveTo(RequestStatus.CounselApproved, clock.GetUtcNow());
        }
        await db.SaveChangesAsync(cancellationToken);
        // Counsel's approval of the set is the workflow's counsel decision: the only way that step completes.
        await CompleteAsync(requestId, LifecycleEvent.CounselDecided, "approved", comment, cancellationToken);
    }

    /// <summary>Counsel send the set back with comments; approved redactions return to accepted so the next approval covers them again.</summary>
    public async Task ReturnAsync(Guid requestId, string counsel, string comment, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(comment))
        {
            throw new DomainException("Say what needs to change.");
        }
        await RefuseUnlessWithCounselAsync(requestId, cancellationToken);
        var redactions = await db.Set<Redaction>().Where(r => r.RequestId == requestId).ToListAsync(cancellationToken);
        foreach (var redaction in redactions.Where(r => r.Status == RedactionStatus.Approved))
        {
            redaction.Decide(RedactionStatus.Accepted, counsel, clock.GetUtcNow());
        }
        var review = CounselReview.Record(requestId, CounselDecision.Returned, counsel, comment, Fingerprint(redactions), clock.GetUtcNow());
        db.Add(review);
        await NotifyOfficerOfReturnAsync(requestId, review, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await CompleteAsync(requestId, LifecycleEvent.CounselDecided, "returned", comment, cancellationToken);
    }

    /// <summary>
    /// Tells the assigned officer, by e-mail, that counsel returned the request and why; committed with the return. The
    /// mail belongs to no request's correspondence (it is staff mail, never shown to the requester). Unassigned
    /// requests show the return on the queue and the request page only.
    /// </summary>
    private async Task NotifyOfficerOfReturnAsync(Guid requestId, CounselReview review, CancellationToken cancellationToken)
    {
        var request = await db.Set<Request>().AsNoTracking().Where(r => r.Id == requestId)
            .Select(r => new { r.TrackingNumber, r.AssignedOfficerId }).SingleAsync(cancellationToken);
        var officer = request.AssignedOfficerId is null ? null : await db.Users.AsNoTracking().Where(u => u.Id == request.AssignedOfficerId)
            .Select(u => new { u.Email, u.DisplayName }).SingleOrDefaultAsync(cancellationToken);
        if (officer?.Email is not { } email)
        {
            return;
        }
        var link = $"{records.Value.PublicBaseUrl.TrimEnd('/')}/requests/{request.TrackingNumber}";
        outbox.Queue(null, MailKind.CounselReturned, email, officer.DisplayName, $"[{request.TrackingNumber}] Returned by counsel",
            $"Counsel ({review.Counsel}) returned {request.TrackingNumber} to you with this comment:\n\n{review.Comment.Trim()}\n\n"
            + $"Change the redactions and send the set to counsel again: {link}\n", idempotencyKey: $"counsel-returned:{review.Id}");
    }

    private async Task RefuseUnlessWithCounselAsync(Guid requestId, CancellationToken cancellationToken)
    {
        if (await lifecycle.RefusalAsync(requestId, LifecycleEvent.CounselDecided, cancellationToken) is { } refusal)
        {
            throw new DomainException(refusal);
        }
    }

    private async Task CompleteAsync(Guid requestId, LifecycleEvent step, string outcome, string? comment, CancellationToken cancellationToken)
    {
        var result = await lifecycle.CompleteThroughAsync(requestId, step, outcome, comment, cancellationToken);
        if (result.Outcome == RequestLifecycle.PublishOutcome.Refused)
        {
            throw new DomainException(result.Reason ?? "The workflow refused this step.");
        }
    }

    /// <summary>Counsel change the exemption a redaction cites; the set then needs a fresh approval.</summary>
    public async Task ChangeExemptionAsync(Guid requestId, Guid redactionId, string exemptionCode, string note, string counsel, CancellationToken cancellationToken)
    {
        // Only a redaction of the request on screen: the id comes from the form, and another request's set must not change from here.
        var redaction = await db.Set<Redaction>().SingleOrDefaultAsync(r => r.Id == redactionId && r.RequestId == requestId, cancellationToken)
            ?? throw new DomainException("That redaction is not part of this request.");
        redaction.ChangeExemption(exemptionCode, note);
        if (redaction.Status == RedactionStatus.Approved)
        {
            redaction.Decide(RedactionStatus.Accepted, counsel, clock.GetUtcNow());
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>What counsel approved, as a hash: the redactions withheld (record, span, boxes on the page, exemption).</summary>
    public static string Fingerprint(IEnumerable<Redaction> redactions)
    {
        var canonical = string.Join('\n', redactions
            .Where(r => r.Status is RedactionStatus.Approved or RedactionStatus.Accepted)
            .OrderBy(r => r.RecordId).ThenBy(r => r.Start).ThenBy(r => r.Id)
            .Select(r => string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{r.RecordId:N}|{r.Kind}|{r.Start}|{r.End}|{string.Join(';', r.Boxes.Select(b => $"{b.Page}:{b.X:0.##},{b.Y:0.##},{b.Width:0.##},{b.Height:0.##}"))}|{r.ExemptionCode}")));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}
