using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;
using RecordsRequests.Features.Archive;
using RecordsRequests.Features.Deadlines;
using RecordsRequests.Features.Requests;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Api;

/// <summary>The officers' JSON API's endpoints and what they answer; <see cref="ApiModule"/> maps them behind the token-only policy.</summary>
public static class ApiEndpoints
{
    public sealed record RequestSummary(string TrackingNumber, DateTimeOffset ReceivedAt, string Status, string Channel, string CitedLaw,
        string GoverningLaw, string? RequesterName, string? AssignedOfficerId);

    public sealed record ClockDate(DateOnly Date, string Explanation);

    /// <summary>The request's stored clocks (the ones the clocks endpoint, queue, reminders and status page read): the
    /// production date that governs follows a Supervisor extension or an agreed date; next is the earliest that still binds.</summary>
    public sealed record Clocks(string Regime, DateOnly ReceivedOn, ClockDate DeemedReceived, ClockDate ResponseDue, ClockDate? PetitionDeadline,
        ClockDate ProductionDue, ClockDate? ExtendedProductionDue, ClockDate? AgreedProductionDate, ClockDate GoverningProductionDue, ClockDate AppealWindowEnds,
        DateOnly? NextDue, string? NextClock);

    public sealed record RequestDetail(RequestSummary Request, string Description, string? RequesterEmail, Clocks Clocks);

    public sealed record MessageSummary(Guid Id, string Direction, string Subject, string? From, string? To, DateTimeOffset RecordedAt, string? MessageId);

    public sealed record TimelineEvent(long Sequence, DateTimeOffset OccurredAt, string Actor, string Action, string EntityType, string EntityId);

    public sealed record StoredClock(string Kind, string Name, DateOnly Due, bool Governing, string? Urgency, string Explanation, DateTimeOffset ComputedAt);

    public sealed record RequestClocksView(string TrackingNumber, string Status, DateOnly? NextDue, string? NextClock, IReadOnlyList<StoredClock> Clocks);

    public sealed record SearchHit(Guid Id, string? MessageId, string Subject, string From, DateTimeOffset? Date, IReadOnlyList<string> Custodians,
        float Score, string SnippetHtml, IReadOnlyList<string> AttachmentNames);

    public sealed record SearchResult(string Query, int TotalHits, int Page, int PageSize, long EstimatedPages, long Attachments, IReadOnlyList<SearchHit> Hits);

    /// <summary>The requests: their summaries, details with stored clocks, messages and timeline.</summary>
    public static void MapRequests(RouteGroupBuilder api)
    {
        api.MapGet("/requests", async (AppDbContext db, RequestStatus? status, int? limit, int? offset, CancellationToken cancellationToken) =>
        {
            var query = db.Requests.AsNoTracking();
            if (status is { } wanted)
            {
                query = query.Where(r => r.Status == wanted);
            }
            return await query.OrderBy(r => r.ReceivedAt).Skip(Math.Max(0, offset ?? 0)).Take(Math.Clamp(limit ?? 50, 1, 500))
                .Select(r => new RequestSummary(r.TrackingNumber, r.ReceivedAt, r.Status.ToString(), r.Channel.ToString(), r.CitedLaw.ToString(),
                    r.GoverningLaw.ToString(), r.Requester.Name, r.AssignedOfficerId))
                .ToListAsync(cancellationToken);
        }).WithName("ListRequests").WithSummary("Requests in order of receipt, optionally filtered by status.");

        api.MapGet("/requests/{trackingNumber}", async Task<Results<Ok<RequestDetail>, NotFound>> (
            string trackingNumber, AppDbContext db, IStatutoryDateSource dates, DistrictTime time, CancellationToken cancellationToken) =>
        {
            var request = await db.Requests.AsNoTracking().Include(r => r.Requester).SingleOrDefaultAsync(r => r.TrackingNumber == trackingNumber, cancellationToken);
            if (request is null)
            {
                return TypedResults.NotFound();
            }
            var stored = (await ClockDisplay.ForRequestAsync(db, request.Id, cancellationToken)).ToDictionary(c => c.Kind);
            var next = await db.Set<RequestNextDue>().AsNoTracking().SingleOrDefaultAsync(n => n.RequestId == request.Id, cancellationToken);
            ClockDate? Of(ClockKind kind) => stored.TryGetValue(kind, out var c) ? new ClockDate(c.DueDate, c.Explanation) : null;
            var governing = stored.Values.Single(c => c.Governing);
            return TypedResults.Ok(new RequestDetail(
                new RequestSummary(request.TrackingNumber, request.ReceivedAt, request.Status.ToString(), request.Channel.ToString(), request.CitedLaw.ToString(),
                    request.GoverningLaw.ToString(), request.Requester.Name, request.AssignedOfficerId),
                request.Description, request.Requester.Email,
                new Clocks(dates.RegimeFor(request).Name, time.DateOf(request.ReceivedAt), Of(ClockKind.DeemedReceived)!, Of(ClockKind.ResponseDue)!,
                    Of(ClockKind.PetitionDeadline), Of(ClockKind.ProductionDue)!, Of(ClockKind.ExtendedProductionDue), Of(ClockKind.AgreedProductionDate),
                    new ClockDate(governing.DueDate, governing.Explanation), Of(ClockKind.AppealWindowEnds)!, next?.DueDate, next?.Kind?.ToString())));
        }).WithName("GetRequest").WithSummary("One request with its stored statutory clocks (extensions and agreed dates included) and how each date was computed.");

        api.MapGet("/requests/{trackingNumber}/messages", async Task<Results<Ok<List<MessageSummary>>, NotFound>> (
            string trackingNumber, AppDbContext db, CancellationToken cancellationToken) =>
        {
            var id = await db.Requests.Where(r => r.TrackingNumber == trackingNumber).Select(r => (Guid?)r.Id).SingleOrDefaultAsync(cancellationToken);
            if (id is null)
            {
                return TypedResults.NotFound();
            }
            return TypedResults.Ok(await db.Messages.AsNoTracking().Where(m => m.RequestId == id).OrderBy(m => m.RecordedAt)
                .Select(m => new MessageSummary(m.Id, m.Direction.ToString(), m.Subject, m.FromAddress, m.ToAddresses, m.RecordedAt, m.InternetMessageId))
                .ToListAsync(cancellationToken));
        }).WithName("ListMessages").WithSummary("Every message to and from the requester, without bodies or attachments.");

        api.MapGet("/requests/{trackingNumber}/timeline", async Task<Results<Ok<List<TimelineEvent>>, NotFound>> (
            string trackingNumber, AppDbContext db, CancellationToken cancellationToken) =>
        {
            var id = await db.Requests.Where(r => r.TrackingNumber == trackingNumber).Select(r => (Guid?)r.Id).SingleOrDefaultAsync(cancellationToken);
            if (id is null)
            {
                return TypedResults.NotFound();
            }
            return TypedResults.Ok(await db.AuditEvents.AsNoTracking().Where(a => a.RequestId == id).OrderBy(a => a.Sequence)
                .Select(a => new TimelineEvent(a.Sequence, a.OccurredAt, a.Actor, a.Action, a.EntityType, a.EntityId))
                .ToListAsync(cancellationToken));
        }).WithName("GetTimeline").WithSummary("The request's audit trail.");

        api.MapGet("/requests/{trackingNumber}/clocks", async Task<Results<Ok<RequestClocksView>, NotFound>> (
            string trackingNumber, AppDbContext db, DistrictTime time, CancellationToken cancellationToken) =>
        {
            var request = await db.Requests.AsNoTracking().Where(r => r.TrackingNumber == trackingNumber)
                .Select(r => new { r.Id, r.Status }).SingleOrDefaultAsync(cancellationToken);
            if (request is null)
            {
                return TypedResults.NotFound();
            }
            var today = time.Today;
            var next = await db.Set<RequestNextDue>().AsNoTracking().SingleOrDefaultAsync(n => n.RequestId == request.Id, cancellationToken);
            var clocks = await ClockDisplay.ForRequestAsync(db, request.Id, cancellationToken);
            return TypedResults.Ok(new RequestClocksView(trackingNumber, request.Status.ToString(), next?.DueDate, next?.Kind?.ToString(),
                clocks.Select(c => new StoredClock(c.Kind.ToString(), ClockDisplay.Name(c.Kind), c.DueDate, c.Governing,
                    request.Status.IsOpen() && next?.Kind == c.Kind ? ClockDisplay.Urgency(c.DueDate, today) : null, c.Explanation, c.ComputedAt)).ToList()));
        }).WithName("GetClocks").WithSummary("The request's stored statutory clocks, each with how it was computed, and the next date the queue sorts by.");
    }

    /// <summary>Full-text search of the mail archive.</summary>
    public static void MapArchiveSearch(RouteGroupBuilder api) =>
        api.MapGet("/search", async Task<Results<Ok<SearchResult>, ProblemHttpResult>> (
                string q, DateOnly? from, DateOnly? to, string? custodian, ArchiveSort? sort, int? page, int? pageSize,
                AuditedSearch search, CancellationToken cancellationToken) =>
            {
                var query = new ArchiveQuery(q, from, to, custodian, sort ?? ArchiveSort.Relevance, Math.Max(page ?? 1, 1),
                    Math.Clamp(pageSize ?? 20, 1, ArchiveSearch.MaxPageSize));
                var (result, error) = await search.SearchAsync(query, cancellationToken);
                if (result is null)
                {
                    return TypedResults.Problem(error, statusCode: StatusCodes.Status400BadRequest, title: "The query could not be parsed.");
                }
                return TypedResults.Ok(new SearchResult(q, result.TotalHits, query.Page, query.PageSize, result.Fee.EstimatedPages, result.Fee.Attachments,
                    result.Hits.Select(h => new SearchHit(h.Id, h.MessageId, h.Subject, h.From, h.Date, h.Custodians, h.Score, h.SnippetHtml, h.AttachmentNames)).ToList()));
            }).WithName("SearchArchive").WithSummary("Full-text search of the imported mail archive (Lucene query syntax); audited as Archive.Searched.");
}
