using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Releases;

/// <summary>
/// Release, in two steps: the officer first sees what will be sent (each document and its Bates range, the exemption
/// log, the response letter, which they may edit, and who receives the e-mail), then confirms. Nothing is produced,
/// stored or sent before the confirmation.
/// </summary>
[Authorize(Policy = Policies.Officers)]
public sealed class ConfirmModel(AppDbContext db, ReleaseProducer producer, ICurrentActor actor, IOptions<RecordsOptions> records) : PageModel
{
    public string TrackingNumber { get; private set; } = "";
    public ReleasePlan Plan { get; private set; } = null!;
    public string? Message { get; private set; }
    public IReadOnlyList<LeakHit> LeakHits { get; private set; } = [];

    /// <summary>After the release: the requester's link, shown only now (the database keeps its hash), and the files.</summary>
    public string? ReleaseLink { get; private set; }
    public IReadOnlyList<ReleaseFile> ReleasedFiles { get; private set; } = [];

    [BindProperty, StringLength(50000)]
    public string? Letter { get; set; }

    public async Task<IActionResult> OnGetAsync(string trackingNumber, CancellationToken cancellationToken)
    {
        var requestId = await FindAsync(trackingNumber, cancellationToken);
        if (requestId is null)
        {
            return NotFound();
        }
        Plan = await producer.PlanAsync(requestId.Value, actor.Name, cancellationToken);
        Letter = Plan.Letter;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string trackingNumber, CancellationToken cancellationToken)
    {
        var requestId = await FindAsync(trackingNumber, cancellationToken);
        if (requestId is null)
        {
            return NotFound();
        }
        if (ModelState.IsValid)
        {
            try
            {
                var result = await producer.ReleaseAsync(requestId.Value, actor.Name, cancellationToken, string.IsNullOrWhiteSpace(Letter) ? null : Letter);
                ReleaseLink = $"{records.Value.PublicBaseUrl.TrimEnd('/')}/release/{result.Token}";
                ReleasedFiles = ReleaseFileWords.InOrder(await db.Set<Release>().AsNoTracking().Where(r => r.Id == result.ReleaseId)
                    .SelectMany(r => r.Files).ToListAsync(cancellationToken)).ToList();
                Message = "Released.";
            }
            catch (LeakDetectedException leak)
            {
                LeakHits = leak.Hits;
                Message = "Release blocked: redacted text is still present in the produced files. Nothing was stored or sent.";
            }
            catch (DomainException refused)
            {
                Message = refused.Message;
            }
        }
        db.ChangeTracker.Clear();
        Plan = await producer.PlanAsync(requestId.Value, actor.Name, cancellationToken);
        Letter ??= Plan.Letter;
        return Page();
    }

    private async Task<Guid?> FindAsync(string trackingNumber, CancellationToken cancellationToken)
    {
        TrackingNumber = trackingNumber;
        return await db.Requests.AsNoTracking().Where(r => r.TrackingNumber == trackingNumber).Select(r => (Guid?)r.Id).SingleOrDefaultAsync(cancellationToken);
    }
}
