using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Deadlines;
using RecordsRequests.Features.Requests;

namespace RecordsRequests.Features.Counsel;

/// <summary>
/// What counsel need before judging redactions: what was asked, by whom, when, its next statutory date and the officer
/// working it. Kept apart from the review page's body, which shows the records themselves.
/// </summary>
public static class RequestSummary
{
    public sealed record Summary(string TrackingNumber, string Description, string Requester, RequestStatus Status, DateTimeOffset ReceivedAt,
        DateOnly? NextDue, ClockKind? NextClock, string? Officer);

    public static async Task<Summary?> LoadAsync(AppDbContext db, OfficerDirectory officers, string trackingNumber, CancellationToken cancellationToken)
    {
        var found = await (
                from r in db.Requests.AsNoTracking()
                where r.TrackingNumber == trackingNumber
                join n in db.Set<RequestNextDue>().AsNoTracking() on r.Id equals n.RequestId into next
                from n in next.DefaultIfEmpty()
                select new { r.TrackingNumber, r.Description, r.Requester.Name, r.Requester.Email, r.Status, r.ReceivedAt,
                    Due = n == null ? null : n.DueDate, Kind = n == null ? null : n.Kind, r.AssignedOfficerId })
            .SingleOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return null;
        }
        var officer = found.AssignedOfficerId is null ? null
            : (await officers.ForDisplayAsync(db, cancellationToken)).FirstOrDefault(o => o.Id == found.AssignedOfficerId)?.Name ?? "a former staff member";
        return new Summary(found.TrackingNumber, found.Description,
            found.Name ?? found.Email ?? "Anonymous", found.Status, found.ReceivedAt, found.Due, found.Kind, officer);
    }
}
