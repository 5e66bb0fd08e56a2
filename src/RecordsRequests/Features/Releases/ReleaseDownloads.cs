using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;
using RecordsRequests.Features.Records;
using RecordsRequests.Features.Shared;
using RecordsRequests.Features.Status;

namespace RecordsRequests.Features.Releases;

/// <summary>
/// The requester's anonymous download route. It reaches files only through a release found by the hash of the secret
/// token, and a release holds only produced (redacted) files, so an original can never be served here, nor another
/// request's files. The status page's file route reaches the same produced files through the request a status link opens.
/// </summary>
public static class ReleaseDownloads
{
    public static void MapReleaseDownloads(this WebApplication app)
    {
        app.MapGet("/release/{token}", async (string token, AppDbContext db, CancellationToken cancellationToken) =>
        {
            var release = await Find(db, token, cancellationToken);
            if (release is null)
            {
                return Results.NotFound();
            }
            var html = new StringBuilder("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Your records</title>")
                .Append("<link rel=\"stylesheet\" href=\"/css/site.css\"></head><body><main><h1>Your records</h1><ul class=\"release-files\">");
            foreach (var file in release.Files.OrderBy(f => f.Kind).ThenBy(f => f.FileName, StringComparer.Ordinal))
            {
                html.Append("<li><a href=\"/release/").Append(WebUtility.UrlEncode(token)).Append("/files/").Append(file.Id)
                    .Append("\">").Append(WebUtility.HtmlEncode(file.FileName)).Append("</a></li>");
            }
            html.Append("</ul></main></body></html>");
            return Results.Content(html.ToString(), "text/html; charset=utf-8");
        }).AllowAnonymous().AddEndpointFilter(NoStore);

        app.MapGet("/release/{token}/files/{fileId:guid}", async (string token, Guid fileId, AppDbContext db, ContentStore store, CancellationToken cancellationToken) =>
        {
            var release = await Find(db, token, cancellationToken);
            var file = release?.Files.SingleOrDefault(f => f.Id == fileId);
            return file is null ? Results.NotFound() : Serve(store, file);
        }).AllowAnonymous().AddEndpointFilter(NoStore);

        // The status page's links. The file must belong to a release of the very request the status token opens, so
        // one request's link can never reach another request's files, whatever file id is put in the address.
        app.MapGet("/status/{token}/files/{fileId:guid}", async (string token, Guid fileId, StatusLinks links, AppDbContext db, ContentStore store,
            CancellationToken cancellationToken) =>
        {
            var requestId = await links.RequestOfAsync(token, cancellationToken);
            var file = requestId is null ? null : await db.Set<Release>().AsNoTracking().Where(r => r.RequestId == requestId)
                .SelectMany(r => r.Files).SingleOrDefaultAsync(f => f.Id == fileId, cancellationToken);
            return file is null ? Results.NotFound() : Serve(store, file);
        }).AllowAnonymous().AddEndpointFilter(NoStore);
    }

    /// <summary>A secret link's page or file must not stay in a shared browser's or proxy's cache after the requester leaves.</summary>
    private static ValueTask<object?> NoStore(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        context.HttpContext.Response.Headers.CacheControl = "no-store";
        return next(context);
    }

    private static IResult Serve(ContentStore store, ReleaseFile file) => Results.File(store.Open(file.Sha256), file.ContentType, file.FileName);

    private static async Task<Release?> Find(AppDbContext db, string token, CancellationToken cancellationToken)
    {
        if (!SecretLinkToken.IsPlausible(token))
        {
            return null;
        }
        var hash = SecretLinkToken.Hash(token);
        return await db.Set<Release>().AsNoTracking().Include(r => r.Files).SingleOrDefaultAsync(r => r.TokenHash == hash, cancellationToken);
    }
}
