using Hangfire;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Requests;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Mailboxes;

/// <summary>
/// An officer collects a custodian's mail for a request from a connected Microsoft 365 or Google Workspace tenant into
/// the archive, and follows each collection's progress here (the page refreshes itself while one runs).
/// </summary>
[Authorize(Policy = Policies.Officers)]
public sealed class CollectModel(AppDbContext db, IBackgroundJobClient jobs, ICurrentActor actor, DistrictTime time) : PageModel
{
    public Request Item { get; private set; } = null!;
    public IReadOnlyList<MailboxConnection> Connections { get; private set; } = [];
    public IReadOnlyList<CollectionRow> Collections { get; private set; } = [];
    public bool Running => Collections.Any(c => c.Collection.Status is MailCollectionStatus.Queued or MailCollectionStatus.Running);
    public string? Error { get; private set; }

    [BindProperty] public Guid? ConnectionId { get; set; }
    [BindProperty] public string Custodian { get; set; } = "";
    [BindProperty] public DateOnly? FromDate { get; set; }
    [BindProperty] public DateOnly? ToDate { get; set; }
    [BindProperty] public string? Terms { get; set; }

    public sealed record CollectionRow(MailCollection Collection, MailCollectionProgress? Progress);

    public async Task<IActionResult> OnGetAsync(string trackingNumber, CancellationToken cancellationToken) =>
        await LoadAsync(trackingNumber, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(string trackingNumber, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(trackingNumber, cancellationToken))
        {
            return NotFound();
        }
        var connection = Connections.FirstOrDefault(c => c.Id == ConnectionId);
        if (connection is null)
        {
            Error = "Choose the connected mail system to collect from.";
        }
        else if (FromDate is null || ToDate is null)
        {
            Error = "Give the first and the last day of the date range.";
        }
        else
        {
            try
            {
                var collection = MailCollection.Queue(Item, connection, Custodian, FromDate.Value, ToDate.Value, Terms ?? "", actor.Name, time.Now);
                db.Add(collection);
                db.Add(MailCollectionProgress.Start(collection.Id));
                await db.SaveChangesAsync(cancellationToken);
                MailCollectionJob.Enqueue(jobs, collection.Id);
                return Redirect($"/requests/{Uri.EscapeDataString(trackingNumber)}/collect");
            }
            catch (DomainException e)
            {
                Error = e.Message;
            }
        }
        return Page();
    }

    /// <summary>Starts a stopped collection again from its checkpoint.</summary>
    public async Task<IActionResult> OnPostResumeAsync(string trackingNumber, Guid collectionId, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(trackingNumber, cancellationToken))
        {
            return NotFound();
        }
        var collection = await db.Set<MailCollection>().SingleOrDefaultAsync(c => c.Id == collectionId && c.RequestId == Item.Id, cancellationToken);
        if (collection is null)
        {
            return NotFound();
        }
        if (collection.Status == MailCollectionStatus.Stopped)
        {
            MailCollectionJob.Enqueue(jobs, collection.Id);
        }
        return Redirect($"/requests/{Uri.EscapeDataString(trackingNumber)}/collect");
    }

    private async Task<bool> LoadAsync(string trackingNumber, CancellationToken cancellationToken)
    {
        var request = await db.Requests.AsNoTracking().SingleOrDefaultAsync(r => r.TrackingNumber == trackingNumber, cancellationToken);
        if (request is null)
        {
            return false;
        }
        Item = request;
        Connections = await db.Set<MailboxConnection>().AsNoTracking()
            .Where(c => c.Enabled && (c.Kind == MailboxKind.Microsoft365 || c.Kind == MailboxKind.GoogleWorkspace))
            .OrderBy(c => c.Name).ToListAsync(cancellationToken);
        Collections = await ForRequestAsync(db, request.Id, cancellationToken);
        return true;
    }

    /// <summary>A request's collections, newest first, with their progress (also shown on the request's page).</summary>
    public static async Task<IReadOnlyList<CollectionRow>> ForRequestAsync(AppDbContext db, Guid requestId, CancellationToken cancellationToken) =>
        await (from c in db.Set<MailCollection>().AsNoTracking()
               where c.RequestId == requestId
               join p in db.Set<MailCollectionProgress>().AsNoTracking() on c.Id equals p.CollectionId into progress
               from p in progress.DefaultIfEmpty()
               orderby c.QueuedAt descending
               select new CollectionRow(c, p)).ToListAsync(cancellationToken);
}
