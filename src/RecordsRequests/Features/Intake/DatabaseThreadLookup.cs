using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RecordsRequests.Data;
using RecordsRequests.Features.Mail;
using RecordsRequests.Features.Status;

namespace RecordsRequests.Features.Intake;

/// <summary>Threads inbound mail onto requests using our outbound Message-IDs, stored inbound ones, tracking numbers and the requester's own conversations.</summary>
public sealed class DatabaseThreadLookup(AppDbContext db, TimeProvider clock, IOptions<IntakeOptions> options) : IThreadLookup
{
    public async Task<ThreadMatch?> ByReplyTokensAsync(IReadOnlyCollection<string> tokens, CancellationToken cancellationToken)
    {
        var match = await db.Set<ReplyToken>().AsNoTracking().Where(t => tokens.Contains(t.Token))
            .Join(db.Requests, t => t.RequestId, r => r.Id, (t, r) => new { r.Id, r.TrackingNumber, r.Requester.Email })
            .FirstOrDefaultAsync(cancellationToken);
        return match is null ? null : ThreadMatch.ByReplyAddress(match.Id, match.TrackingNumber, match.Email);
    }

    public async Task<ThreadMatch?> ByMessageIdsAsync(IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken)
    {
        var ids = ThreadMatch.ThreadIds(messageIds);
        if (ids.Count == 0)
        {
            return null;
        }
        var outbound = await db.Set<OutboundEmail>().AsNoTracking()
            .Where(m => m.RequestId != null && ids.Contains(m.InternetMessageId))
            .Join(db.Requests, m => m.RequestId, r => r.Id, (m, r) => new { r.Id, r.TrackingNumber, m.InternetMessageId, r.Requester.Email })
            .FirstOrDefaultAsync(cancellationToken);
        if (outbound is not null)
        {
            return ThreadMatch.ByOurMessage(outbound.Id, outbound.TrackingNumber, outbound.InternetMessageId, outbound.Email);
        }
        var stored = await db.Messages.AsNoTracking()
            .Where(m => m.RequestId != null && m.InternetMessageId != null && ids.Contains(m.InternetMessageId))
            .Join(db.Requests, m => m.RequestId, r => r.Id, (m, r) => new { r.Id, r.TrackingNumber, m.InternetMessageId, r.Requester.Email })
            .FirstOrDefaultAsync(cancellationToken);
        return stored is null
            ? null
            : ThreadMatch.ByTheirMessage(stored.Id, stored.TrackingNumber, stored.InternetMessageId!, stored.Email,
                await ConfirmedAsync(stored.Id, stored.Email, cancellationToken));
    }

    public async Task<ThreadMatch?> ByTrackingNumberAsync(string trackingNumber, CancellationToken cancellationToken)
    {
        var request = await db.Requests.AsNoTracking().Where(r => r.TrackingNumber == trackingNumber)
            .Select(r => new { r.Id, r.TrackingNumber, r.Requester.Email }).SingleOrDefaultAsync(cancellationToken);
        return request is null ? null
            : ThreadMatch.ByTrackingNumber(request.Id, request.TrackingNumber, request.Email, await ConfirmedAsync(request.Id, request.Email, cancellationToken));
    }

    public async Task<ThreadMatch?> ByRequesterSubjectAsync(string senderAddress, string normalizedSubject, CancellationToken cancellationToken)
    {
        var since = clock.GetUtcNow() - options.Value.RequesterThreadWindow;
        var candidates = await db.Messages.AsNoTracking()
            .Where(m => m.RequestId != null && m.RecordedAt >= since)
            .Join(db.Requests, m => m.RequestId, r => r.Id, (m, r) => new { Message = m, Request = r })
            .Where(x => x.Request.Requester.Email == senderAddress)
            .OrderByDescending(x => x.Message.RecordedAt)
            .Select(x => new { x.Request.Id, x.Request.TrackingNumber, x.Message.Subject, x.Request.Requester.Email })
            .Take(ThreadMatch.RequesterThreadCandidates)
            .ToListAsync(cancellationToken);
        var match = candidates.FirstOrDefault(c => _subjects.Of(c.Subject) == normalizedSubject);
        return match is null ? null
            : ThreadMatch.BySenderAndSubject(match.Id, match.TrackingNumber, match.Email, await ConfirmedAsync(match.Id, match.Email, cancellationToken));
    }

    private readonly NormalizedSubjects _subjects = new();

    private Task<bool> ConfirmedAsync(Guid requestId, string? email, CancellationToken cancellationToken) =>
        AddressConfirmations.IsConfirmedAsync(db, requestId, email, cancellationToken);
}
