using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RecordsRequests.Data;
using RecordsRequests.Features.Correspondence;

namespace RecordsRequests.Features.Intake;

/// <summary>Threads inbound mail onto requests using our outbound Message-IDs, stored inbound ones, tracking numbers and the requester's own conversations.</summary>
public sealed class DatabaseThreadLookup(AppDbContext db, TimeProvider clock, IOptions<IntakeOptions> options) : IThreadLookup
{
    public async Task<ThreadMatch?> ByMessageIdsAsync(IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken)
    {
        var ids = messageIds.Select(id => id.Trim('<', '>', ' ')).Where(id => id.Length is > 0 and <= 1000).Take(100).ToList();
        if (ids.Count == 0)
        {
            return null;
        }
        var outbound = await db.Set<OutboundEmail>().AsNoTracking()
            .Where(m => m.RequestId != null && ids.Contains(m.InternetMessageId))
            .Join(db.Requests, m => m.RequestId, r => r.Id, (m, r) => new { r.Id, r.TrackingNumber, m.InternetMessageId })
            .FirstOrDefaultAsync(cancellationToken);
        if (outbound is not null)
        {
            return new ThreadMatch(outbound.Id, outbound.TrackingNumber, $"In-Reply-To/References names our message <{outbound.InternetMessageId}>");
        }
        var stored = await db.Messages.AsNoTracking()
            .Where(m => m.RequestId != null && m.InternetMessageId != null && ids.Contains(m.InternetMessageId))
            .Join(db.Requests, m => m.RequestId, r => r.Id, (m, r) => new { r.Id, r.TrackingNumber, m.InternetMessageId })
            .FirstOrDefaultAsync(cancellationToken);
        return stored is null
            ? null
            : new ThreadMatch(stored.Id, stored.TrackingNumber, $"In-Reply-To/References names message <{stored.InternetMessageId}> of the request");
    }

    public async Task<ThreadMatch?> ByTrackingNumberAsync(string trackingNumber, CancellationToken cancellationToken)
    {
        var request = await db.Requests.AsNoTracking().Where(r => r.TrackingNumber == trackingNumber)
            .Select(r => new { r.Id, r.TrackingNumber }).SingleOrDefaultAsync(cancellationToken);
        return request is null ? null : new ThreadMatch(request.Id, request.TrackingNumber, $"tracking number {request.TrackingNumber} in the subject");
    }

    public async Task<ThreadMatch?> ByRequesterSubjectAsync(string senderAddress, string normalizedSubject, CancellationToken cancellationToken)
    {
        var since = clock.GetUtcNow() - options.Value.RequesterThreadWindow;
        var candidates = await db.Messages.AsNoTracking()
            .Where(m => m.RequestId != null && m.RecordedAt >= since)
            .Join(db.Requests, m => m.RequestId, r => r.Id, (m, r) => new { Message = m, Request = r })
            .Where(x => x.Request.Requester.Email == senderAddress)
            .OrderByDescending(x => x.Message.RecordedAt)
            .Select(x => new { x.Request.Id, x.Request.TrackingNumber, x.Message.Subject })
            .Take(200)
            .ToListAsync(cancellationToken);
        var match = candidates.FirstOrDefault(c => TrackingReference.NormalizeSubject(c.Subject) == normalizedSubject);
        return match is null ? null : new ThreadMatch(match.Id, match.TrackingNumber, "same sender and subject as the requester's conversation");
    }
}
