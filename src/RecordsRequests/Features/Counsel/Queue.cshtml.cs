using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Deadlines;
using RecordsRequests.Features.Redactions;
using RecordsRequests.Features.Requests;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Counsel;

/// <summary>
/// Counsel's home: requests waiting for their review, the next statutory date first, with what was asked, who asked,
/// the officer working it and how long it has been open; below, the ones counsel returned, until the officer sends them back.
/// </summary>
[Authorize(Policy = Policies.Counsel)]
public sealed class QueueModel(AppDbContext db, DistrictTime time, OfficerDirectory officers) : PageModel
{
    public sealed record Row(string TrackingNumber, string Description, string Requester, DateOnly Received, int AgeDays, DateOnly? NextDue,
        ClockKind? NextClock, string? Urgency, string? Officer, int Redactions, DateTimeOffset? ReturnedAt);

    /// <summary>A description longer than this is cut on the queue; the review page shows it whole.</summary>
    public const int DescriptionCut = 160;

    public IReadOnlyList<Row> Waiting { get; private set; } = [];
    public IReadOnlyList<Row> Returned { get; private set; } = [];
    public DistrictTime Time => time;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var today = time.Today;
        var names = (await officers.ForDisplayAsync(db, cancellationToken)).ToDictionary(o => o.Id, o => o.Name);
        // Waiting for counsel: a request the workflow has moved to counsel (it may have no redactions, yet counsel still
        // approve the response), or one whose officer has accepted redactions that counsel have not yet approved.
        // Returned: counsel's latest decision sent it back, and it is not with counsel again yet.
        var accepted = db.Set<Redaction>().Where(r => r.Status == RedactionStatus.Accepted);
        var rows = await (
                from r in db.Set<Request>().AsNoTracking()
                join n in db.Set<RequestNextDue>().AsNoTracking() on r.Id equals n.RequestId into next
                from n in next.DefaultIfEmpty()
                let latest = db.Set<CounselReview>().Where(c => c.RequestId == r.Id).OrderByDescending(c => c.DecidedAt).FirstOrDefault()
                where r.Status == RequestStatus.AwaitingCounsel || accepted.Any(a => a.RequestId == r.Id)
                    || (r.Status == RequestStatus.InReview && latest != null && latest.Decision == CounselDecision.Returned)
                select new
                {
                    r.TrackingNumber, r.Description, r.Requester.Name, r.Requester.Email, r.ReceivedAt, r.Status, r.AssignedOfficerId,
                    Due = n == null ? null : n.DueDate, Kind = n == null ? null : n.Kind,
                    Redactions = accepted.Count(a => a.RequestId == r.Id),
                    ReturnedAt = latest != null && latest.Decision == CounselDecision.Returned ? latest.DecidedAt : (DateTimeOffset?)null,
                })
            .ToListAsync(cancellationToken);
        var all = rows
            .Select(r => (r.Status, Row: new Row(r.TrackingNumber,
                r.Description.Length > DescriptionCut ? r.Description[..DescriptionCut] + "…" : r.Description,
                r.Name ?? r.Email ?? "Anonymous", time.DateOf(r.ReceivedAt), today.DayNumber - time.DateOf(r.ReceivedAt).DayNumber,
                r.Due, r.Kind, r.Due is { } due ? ClockDisplay.Urgency(due, today, Dashboard.IndexModel.DueSoonDays) : null,
                r.AssignedOfficerId is null ? null : names.GetValueOrDefault(r.AssignedOfficerId, "a former staff member"),
                r.Redactions, r.ReturnedAt)))
            .OrderBy(r => r.Row.NextDue ?? DateOnly.MaxValue).ThenBy(r => r.Row.Received).ToList();
        // Returned and back in the officer's hands: listed apart, so counsel see what they are waiting on.
        Returned = all.Where(r => r.Status == RequestStatus.InReview && r.Row.ReturnedAt is not null).Select(r => r.Row).ToList();
        Waiting = all.Where(r => !(r.Status == RequestStatus.InReview && r.Row.ReturnedAt is not null)).Select(r => r.Row).ToList();
    }
}
