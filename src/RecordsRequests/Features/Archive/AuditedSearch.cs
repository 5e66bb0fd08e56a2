using RecordsRequests.Data;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Archive;

/// <summary>
/// A search of the district's mail on behalf of a staff member, from the page or the API: every one is audited as
/// Archive.Searched (who, query, filters, hit count), a query that cannot be parsed too.
/// </summary>
public sealed class AuditedSearch(ArchiveSearch search, AppDbContext db, ICurrentActor actor, TimeProvider clock)
{
    /// <summary>The result, or why the query could not be run.</summary>
    public sealed record Outcome(ArchiveResult? Result, string? Error);

    public async Task<Outcome> SearchAsync(ArchiveQuery query, CancellationToken cancellationToken)
    {
        ArchiveResult? result = null;
        string? error = null;
        try
        {
            result = search.Search(query);
        }
        catch (ArchiveQueryException e)
        {
            error = e.Message;
        }
        db.Add(ArchiveAudit.SearchedEvent(query, result?.TotalHits ?? 0, actor.Name, clock.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome(result, error);
    }
}
