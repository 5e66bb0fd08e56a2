using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Documents;
using RecordsRequests.Features.Records;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Redactions;

/// <summary>
/// The unredacted picture of one page of a record, for the officers' and counsel's review pages. Only staff who review
/// (officers, admins, counsel) reach it, only through the request the record belongs to, and the picture is never kept
/// in a browser's or proxy's cache. Requester routes (/release, /status) serve produced files only and never this.
/// </summary>
public static class PagePictures
{
    public static string Address(string trackingNumber, Guid recordId, int page) =>
        $"/requests/{Uri.EscapeDataString(trackingNumber)}/records/{recordId}/pages/{page}";

    public static void MapPagePictures(this WebApplication app) =>
        app.MapGet("/requests/{trackingNumber}/records/{recordId:guid}/pages/{page:int}", ServeAsync)
            .RequireAuthorization(policy => policy.RequireRole(Roles.RecordsOfficer, Roles.Admin, Roles.Counsel));

    private static async Task<IResult> ServeAsync(string trackingNumber, Guid recordId, int page, HttpContext http, AppDbContext db, ContentStore store,
        RedactionReview review, ICurrentActor actor, CancellationToken cancellationToken)
    {
        // Not found, never forbidden, for a record of another request: the address must not confirm that a record exists.
        var record = await db.Set<Record>().AsNoTracking()
            .SingleOrDefaultAsync(r => r.Id == recordId && r.Request.TrackingNumber == trackingNumber, cancellationToken);
        var picture = record is null ? null : await db.Set<DocumentPage>().AsNoTracking()
            .Where(p => p.RecordId == recordId && p.Number == page).Select(p => p.ImageSha256).SingleOrDefaultAsync(cancellationToken);
        if (record is null || picture is null)
        {
            return Results.NotFound();
        }
        await review.AuditPictureViewAsync(record, actor.Name, cancellationToken);
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.Pragma = "no-cache";
        return Results.Stream(store.Open(picture), "image/png");
    }
}
