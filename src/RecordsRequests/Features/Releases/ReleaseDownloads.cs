using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;
using RecordsRequests.Features.Records;

namespace RecordsRequests.Features.Releases;

/// <summary>
/// The requester's anonymous download route. It reaches files only through a release found by the hash of the secret
/// token, and a release holds only produced (redacted) files, so an original can never be served here, nor another
/// request's files.
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
        }).AllowAnonymous();

        app.MapGet("/release/{token}/files/{fileId:guid}", async (string token, Guid fileId, AppDbContext db, ContentStore store, CancellationToken cancellationToken) =>
        {
            var release = await Find(db, token, cancellationToken);
            var file = release?.Files.SingleOrDefault(f => f.Id == fileId);
            return file is null ? Results.NotFound() : Results.File(store.Open(file.Sha256), file.ContentType, file.FileName);
        }).AllowAnonymous();
    }

    private static async Task<Release?> Find(AppDbContext db, string token, CancellationToken cancellationToken)
    {
        if (token.Length is < 20 or > 100)
        {
            return null;
        }
        var hash = ReleaseProducer.HashToken(token);
        return await db.Set<Release>().AsNoTracking().Include(r => r.Files).SingleOrDefaultAsync(r => r.TokenHash == hash, cancellationToken);
    }
}
