using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Releases;

/// <summary>
/// The requester's release page. The secret link is the only credential; it reaches a release's produced files and
/// nothing else (a release holds no original), and an unknown token is the same 404 as any bad address.
/// </summary>
[AllowAnonymous]
public sealed class PackageModel(AppDbContext db, DistrictTime time) : PageModel
{
    public string Token { get; private set; } = "";
    public string TrackingNumber { get; private set; } = "";
    public DateOnly ReleasedOn { get; private set; }
    public IReadOnlyList<ReleaseFile> Files { get; private set; } = [];
    public long TotalBytes => Files.Sum(f => f.SizeBytes);
    public int DocumentCount => Files.Where(f => f.DocumentNumber is not null).Select(f => f.DocumentNumber).Distinct().Count();

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken cancellationToken)
    {
        var release = await ReleaseDownloads.Find(db, token, cancellationToken);
        if (release is null)
        {
            return NotFound();
        }
        // A secret link's page must not stay in a shared browser's or proxy's cache after the requester leaves.
        Response.Headers.CacheControl = "no-store";
        Token = token;
        TrackingNumber = await db.Requests.AsNoTracking().Where(r => r.Id == release.RequestId).Select(r => r.TrackingNumber).SingleAsync(cancellationToken);
        ReleasedOn = time.DateOf(release.ReleasedAt);
        Files = ReleaseFileWords.InOrder(release.Files).ToList();
        return Page();
    }

    public string FileLink(ReleaseFile file) => $"/release/{Uri.EscapeDataString(Token)}/files/{file.Id}";

    public string ZipLink => $"/release/{Uri.EscapeDataString(Token)}/all.zip";
}
