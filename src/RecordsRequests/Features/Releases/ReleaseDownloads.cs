using System.IO.Compression;
using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
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
        // The release page itself is a Razor page (Package.cshtml); these are its files, one by one and all together.
        app.MapGet("/release/{token}/files/{fileId:guid}", async (string token, Guid fileId, AppDbContext db, ContentStore store, CancellationToken cancellationToken) =>
        {
            var release = await Find(db, token, cancellationToken);
            var file = release?.Files.SingleOrDefault(f => f.Id == fileId);
            return file is null ? Results.NotFound() : Serve(store, file);
        }).AllowAnonymous().AddEndpointFilter(NoStore);

        app.MapGet("/release/{token}/all.zip", async (string token, AppDbContext db, ContentStore store, CancellationToken cancellationToken) =>
        {
            var release = await Find(db, token, cancellationToken);
            if (release is null)
            {
                return Results.NotFound();
            }
            var tracking = await db.Requests.AsNoTracking().Where(r => r.Id == release.RequestId).Select(r => r.TrackingNumber).SingleAsync(cancellationToken);
            // Built in a temporary file that deletes itself when the response is done: ZipArchive writes synchronously,
            // which the server refuses on a response stream, and a whole package need not sit in memory.
            var temporary = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920,
                FileOptions.DeleteOnClose | FileOptions.Asynchronous);
            using (var zip = new ZipArchive(temporary, ZipArchiveMode.Create, leaveOpen: true))
            {
                foreach (var file in ReleaseFileWords.InOrder(release.Files))
                {
                    // Stored, not compressed: the PDFs are compressed already.
                    var entry = zip.CreateEntry(file.FileName, CompressionLevel.NoCompression);
                    entry.LastWriteTime = release.ReleasedAt;
                    await using var target = entry.Open();
                    await using var source = store.Open(file.Sha256);
                    await source.CopyToAsync(target, cancellationToken);
                }
            }
            temporary.Position = 0;
            return Results.File(temporary, "application/zip", $"{tracking}-records.zip");
        }).AllowAnonymous().AddEndpointFilter(NoStore);

        // The officers' copy of what was released, from the request's records page: the produced files only, and only
        // of a release of the request in the address.
        app.MapGet("/requests/{trackingNumber}/released/{fileId:guid}", async (string trackingNumber, Guid fileId, AppDbContext db, ContentStore store,
            CancellationToken cancellationToken) =>
        {
            var file = await db.Set<Release>().AsNoTracking()
                .Where(r => db.Requests.Any(q => q.Id == r.RequestId && q.TrackingNumber == trackingNumber))
                .SelectMany(r => r.Files).SingleOrDefaultAsync(f => f.Id == fileId, cancellationToken);
            return file is null ? Results.NotFound() : Serve(store, file);
        }).RequireAuthorization(Policies.Officers);

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

    public static async Task<Release?> Find(AppDbContext db, string token, CancellationToken cancellationToken)
    {
        if (!SecretLinkToken.IsPlausible(token))
        {
            return null;
        }
        var hash = SecretLinkToken.Hash(token);
        return await db.Set<Release>().AsNoTracking().Include(r => r.Files).SingleOrDefaultAsync(r => r.TokenHash == hash, cancellationToken);
    }
}
