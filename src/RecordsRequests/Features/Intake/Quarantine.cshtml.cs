using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Intake;

/// <summary>
/// Mail intake could not place: officers see why, and either open a request from it or confirm it needs none. Automated
/// mail of the last 30 days is listed too, so a real request mistaken for an auto-reply can be rescued.
/// </summary>
[Authorize(Policy = Policies.Officers)]
public sealed class QuarantineModel(AppDbContext db, MailIntake intake, ICurrentActor actor, TimeProvider clock,
    Microsoft.Extensions.Options.IOptions<IntakeOptions> intakeOptions, Microsoft.Extensions.Options.IOptions<RecordsOptions> records) : PageModel
{
    public IReadOnlyList<InboundMessage> Quarantined { get; private set; } = [];
    public IReadOnlyList<InboundMessage> Automated { get; private set; } = [];

    /// <summary>Mail naming a request without proving it is the requester's, with the tracking number it names.</summary>
    public IReadOnlyList<(InboundMessage Message, string TrackingNumber)> Held { get; private set; } = [];

    /// <summary>Files the drop folder would not take in (a symbolic link, too large, unreadable), with the reason.</summary>
    public IReadOnlyList<RefusedFile> RefusedFiles { get; private set; } = [];

    [TempData]
    public string? Notice { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Quarantined = await db.Set<InboundMessage>().AsNoTracking().Where(m => m.Classification == IntakeClassification.Quarantined)
            .OrderByDescending(m => m.ReceivedAt).Take(500).ToListAsync(cancellationToken);
        Held = (await db.Set<InboundMessage>().AsNoTracking().Where(m => m.Classification == IntakeClassification.UnprovenReply)
                .Join(db.Requests, m => m.ClaimedRequestId, r => r.Id, (m, r) => new { Message = m, r.TrackingNumber })
                .OrderByDescending(x => x.Message.ReceivedAt).Take(500).ToListAsync(cancellationToken))
            .Select(x => (x.Message, x.TrackingNumber)).ToList();
        RefusedFiles = DropFolder.Refused(intakeOptions.Value, records);
        var since = clock.GetUtcNow().AddDays(-30);
        Automated = await db.Set<InboundMessage>().AsNoTracking()
            .Where(m => m.Classification == IntakeClassification.Automated && m.ReceivedAt >= since)
            .OrderByDescending(m => m.ReceivedAt).Take(200).ToListAsync(cancellationToken);
    }

    /// <summary>Process again as a request (or as a reply if it threads onto one).</summary>
    public async Task<IActionResult> OnPostOpenAsync(Guid id, CancellationToken cancellationToken)
    {
        var message = await db.Set<InboundMessage>().SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (message is null)
        {
            return NotFound();
        }
        message.Release(actor.Name);
        await db.SaveChangesAsync(cancellationToken);
        var result = await intake.ReprocessAsync(id, cancellationToken);
        Notice = result.TrackingNumber is null
            ? $"Still not placed: {result.Reason}"
            : $"{result.Classification.Label()}: {result.TrackingNumber}.";
        return RedirectToPage();
    }

    /// <summary>The officer judged a held message to be the requester's reply: it joins the request it names.</summary>
    public async Task<IActionResult> OnPostConfirmReplyAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await db.Set<InboundMessage>().AnyAsync(m => m.Id == id && m.Classification == IntakeClassification.UnprovenReply, cancellationToken))
        {
            return NotFound();
        }
        var result = await intake.ConfirmReplyAsync(id, actor.Name, cancellationToken);
        Notice = $"Added to {result.TrackingNumber} as the requester's reply.";
        return RedirectToPage();
    }

    /// <summary>The officer confirms no request is needed; the message stays on record as automated.</summary>
    public async Task<IActionResult> OnPostDismissAsync(Guid id, CancellationToken cancellationToken)
    {
        var message = await db.Set<InboundMessage>().SingleOrDefaultAsync(m => m.Id == id
            && (m.Classification == IntakeClassification.Quarantined || m.Classification == IntakeClassification.UnprovenReply), cancellationToken);
        if (message is null)
        {
            return NotFound();
        }
        message.Classify(IntakeClassification.Automated, $"dismissed by {actor.Name}: {message.Reason}", null, null, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        Notice = "Dismissed.";
        return RedirectToPage();
    }
}
