using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Intake;

/// <summary>
/// The spam list: mail held as spam (<see cref="SpamVerdict"/>), with why, for an officer to release what a person
/// wrote. Nothing here is deleted or answered. Releasing runs the message through intake as if it had just arrived;
/// a request it opens keeps the message's arrival as its receipt, so its clocks are not restarted (950 CMR 32.03(3)).
/// Beside it, the mail taken in without a spam score because the filter could not be reached.
/// </summary>
[Authorize(Policy = Policies.Officers)]
public sealed class SpamModel(AppDbContext db, MailIntake intake, ICurrentActor actor, TimeProvider clock, DistrictTime time) : PageModel
{
    /// <summary>How far back the lists of released and unscored mail reach.</summary>
    public const int RecentDays = 30;

    public sealed record Row(InboundMessage Message, string? TrackingNumber);

    public IReadOnlyList<InboundMessage> Held { get; private set; } = [];
    public IReadOnlyList<Row> NotScored { get; private set; } = [];
    public IReadOnlyList<Row> Released { get; private set; } = [];

    public DistrictTime Time => time;

    [TempData]
    public string? Notice { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Held = await db.Set<InboundMessage>().AsNoTracking().Where(m => m.Classification == IntakeClassification.Spam)
            .OrderByDescending(m => m.ReceivedAt).Take(500).ToListAsync(cancellationToken);
        var since = clock.GetUtcNow().AddDays(-RecentDays);
        NotScored = await RowsAsync(db.Set<InboundMessage>().Where(m => m.SpamNotScored != null && m.ReceivedAt >= since), cancellationToken);
        Released = await RowsAsync(db.Set<InboundMessage>().Where(m => m.ReleasedFromSpamAt != null && m.ReleasedFromSpamAt >= since), cancellationToken);
    }

    private async Task<List<Row>> RowsAsync(IQueryable<InboundMessage> messages, CancellationToken cancellationToken) =>
        (await messages.AsNoTracking()
            .GroupJoin(db.Requests, m => m.RequestId, r => r.Id, (m, requests) => new { m, requests })
            .SelectMany(x => x.requests.DefaultIfEmpty(), (x, r) => new { x.m, TrackingNumber = r == null ? null : r.TrackingNumber })
            .OrderByDescending(x => x.m.ReceivedAt).Take(200).ToListAsync(cancellationToken))
        .Select(x => new Row(x.m, x.TrackingNumber)).ToList();

    /// <summary>Not spam: intake takes the message in as it would have when it arrived (a request, a reply, ...), without the spam verdict.</summary>
    public async Task<IActionResult> OnPostReleaseAsync(Guid id, CancellationToken cancellationToken)
    {
        // The row is locked while it changes: of two officers releasing the same message at once, the second finds it
        // released already instead of taking it in a second time.
        InboundMessage? message;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            message = await db.Set<InboundMessage>().FromSql($"SELECT * FROM inbound_messages WHERE id = {id} FOR UPDATE").SingleOrDefaultAsync(cancellationToken);
            if (message is null || (message.Classification != IntakeClassification.Spam && message.ReleasedFromSpamBy is null))
            {
                return NotFound();
            }
            if (message.Classification != IntakeClassification.Spam)
            {
                Notice = "That message was released already.";
                return RedirectToPage();
            }
            // Saved before intake runs, with who released it (audited), even if taking it in then fails.
            message.ReleaseFromSpam(actor.Name, clock.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        var result = await intake.ReprocessAsync(id, cancellationToken);
        Notice = result.Classification switch
        {
            IntakeClassification.Request => $"Released: request {result.TrackingNumber} was opened, counting from {time.Display(message.ReceivedAt)} when the message arrived; its acknowledgement goes to the requester now.",
            IntakeClassification.Reply => $"Released: added to {result.TrackingNumber} as the requester's reply.",
            _ => $"Released, but intake did not open a request: {result.Reason}. It is on the mail quarantine page.",
        };
        return RedirectToPage();
    }
}
