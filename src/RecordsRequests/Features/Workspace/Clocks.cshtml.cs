using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Correspondence;
using RecordsRequests.Features.Deadlines;
using RecordsRequests.Features.Mail;
using RecordsRequests.Features.Requests;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Workspace;

/// <summary>
/// An officer records what moves a request's clocks: the written response, a Supervisor extension, a date the
/// requester agreed to. Each save recomputes the request's clocks in the same transaction.
/// </summary>
[Authorize(Policy = Policies.Officers)]
public sealed class ClocksModel(AppDbContext db, RequestClockUpdater clocks, DistrictTime time, ICurrentActor actor, Outbox outbox, Letterhead letterhead,
    IReceiptEvidence evidence) : PageModel
{
    /// <summary>When the request really reached the district, as the officer reads it on the message or envelope (district time).</summary>
    [BindProperty] public DateTime? CorrectedReceipt { get; set; }
    [BindProperty] public string? ReceiptReason { get; set; }

    public DistrictTime Time => time;

    /// <summary>A receipt the request's evidence suggests (a forward's original date) that differs from the one recorded.</summary>
    public ProposedReceipt? Proposal { get; private set; }

    /// <summary>
    /// Corrects the receipt instant with a reason: audited (from, to, why), every clock recomputed in the same
    /// transaction, and the requester told the corrected dates.
    /// </summary>
    public async Task<IActionResult> OnPostReceiptAsync(string trackingNumber, CancellationToken cancellationToken)
    {
        var request = await db.Requests.Include(r => r.Requester).SingleOrDefaultAsync(r => r.TrackingNumber == trackingNumber, cancellationToken);
        if (request is null)
        {
            return NotFound();
        }
        if (CorrectedReceipt is not { } local)
        {
            ModelState.AddModelError(nameof(CorrectedReceipt), "Enter the date and time the request was received.");
        }
        if (string.IsNullOrWhiteSpace(ReceiptReason))
        {
            ModelState.AddModelError(nameof(ReceiptReason), "Say why the receipt changes (for example: forwarded by the principal's office on …).");
        }
        if (!ModelState.IsValid)
        {
            await LoadAsync(trackingNumber, cancellationToken);
            return Page();
        }
        var from = request.ReceivedAt;
        var to = new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(CorrectedReceipt!.Value, DateTimeKind.Unspecified), time.Zone), TimeSpan.Zero);
        try
        {
            request.CorrectReceipt(to, time.Now);
        }
        catch (DomainException e)
        {
            ModelState.AddModelError(nameof(CorrectedReceipt), e.Message);
            db.ChangeTracker.Clear();
            await LoadAsync(trackingNumber, cancellationToken);
            return Page();
        }
        db.Add(Audit.AuditEvent.Create(time.Now, actor.Name, ReceiptCorrected, nameof(Request), request.Id.ToString(), request.Id,
            after: System.Text.Json.JsonSerializer.SerializeToDocument(new { from, to, fromLocal = time.Display(from), toLocal = time.Display(to), reason = ReceiptReason!.Trim() })));
        await clocks.RecomputeAsync(request, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        if (request.Requester.Email is { } email)
        {
            var dates = (await ClockDisplay.ForRequestAsync(db, request.Id, cancellationToken))
                .Select(c => $"- {ClockDisplay.Name(c.Kind)}: {c.DueDate.ToString("dddd, MMMM d, yyyy", System.Globalization.CultureInfo.GetCultureInfo("en-US"))}");
            var body = $"We have corrected the date your request reached the district to {time.Display(to)}. "
                + "Every date we owe you counts from receipt, so these are now:\n\n" + string.Join("\n", dates)
                + $"\n\nWhy it changed: {ReceiptReason.Trim()}";
            outbox.Queue(request.Id, MailKind.ReceiptCorrected, email, request.Requester.Name, $"[{request.TrackingNumber}] Corrected dates for your records request",
                await letterhead.WrapAsync(request, body, actor.Name, cancellationToken), idempotencyKey: $"receipt-corrected:{request.Id}:{to.UtcTicks}");
            await db.SaveChangesAsync(cancellationToken);
        }
        return RedirectToPage(new { trackingNumber });
    }

    /// <summary>The value of the form's receipt field: the district's wall time, to the minute.</summary>
    public string LocalMinute(DateTimeOffset instant) => time.ToLocal(instant).ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The audit action of a receipt correction; the request's timeline describes it.</summary>
    public const string ReceiptCorrected = "Request.ReceiptCorrected";

    public Request Item { get; private set; } = null!;
    public RequestClockInput Inputs { get; private set; } = null!;
    public IReadOnlyList<RequestClock> Clocks { get; private set; } = [];
    public StatutoryRegime Regime { get; private set; } = null!;

    [BindProperty] public DateOnly? WrittenResponseOn { get; set; }
    [BindProperty] public int? ExtensionBusinessDays { get; set; }
    [BindProperty] public DateOnly? ExtensionGrantedOn { get; set; }
    [BindProperty] public DateOnly? ExtensionOrderedDate { get; set; }
    [BindProperty] public string? ExtensionReference { get; set; }
    [BindProperty] public DateOnly? AgreedDate { get; set; }
    [BindProperty] public string? AgreedNote { get; set; }

    public async Task<IActionResult> OnGetAsync(string trackingNumber, CancellationToken cancellationToken) =>
        await LoadAsync(trackingNumber, cancellationToken) ? Page() : NotFound();

    public Task<IActionResult> OnPostResponseAsync(string trackingNumber, CancellationToken cancellationToken) =>
        ChangeAsync(trackingNumber, input => input.RecordWrittenResponse(WrittenResponseOn), cancellationToken);

    public Task<IActionResult> OnPostExtensionAsync(string trackingNumber, CancellationToken cancellationToken) =>
        ChangeAsync(trackingNumber, input =>
        {
            if (ExtensionBusinessDays is not { } days || ExtensionGrantedOn is not { } granted)
            {
                throw new DomainException("Give the business days granted and the date of the Supervisor's order.");
            }
            input.RecordExtension(days, granted, ExtensionOrderedDate, ExtensionReference, Regime);
        }, cancellationToken);

    public Task<IActionResult> OnPostClearExtensionAsync(string trackingNumber, CancellationToken cancellationToken) =>
        ChangeAsync(trackingNumber, input => input.ClearExtension(), cancellationToken);

    public Task<IActionResult> OnPostAgreementAsync(string trackingNumber, CancellationToken cancellationToken) =>
        ChangeAsync(trackingNumber, input => input.RecordAgreement(AgreedDate, AgreedNote), cancellationToken);

    private async Task<IActionResult> ChangeAsync(string trackingNumber, Action<RequestClockInput> change, CancellationToken cancellationToken)
    {
        var request = await db.Requests.SingleOrDefaultAsync(r => r.TrackingNumber == trackingNumber, cancellationToken);
        if (request is null)
        {
            return NotFound();
        }
        Regime = (await clocks.RulesAsync(cancellationToken)).RegimeFor(request.GoverningLaw);
        var input = await clocks.InputsForEditAsync(request.Id, cancellationToken);
        try
        {
            change(input);
        }
        catch (DomainException e)
        {
            ModelState.AddModelError("", e.Message);
            db.ChangeTracker.Clear();
            await LoadAsync(trackingNumber, cancellationToken);
            return Page();
        }
        await db.SaveChangesAsync(cancellationToken);
        await clocks.RecomputeAsync(request, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return RedirectToPage(new { trackingNumber });
    }

    private async Task<bool> LoadAsync(string trackingNumber, CancellationToken cancellationToken)
    {
        var request = await db.Requests.AsNoTracking().SingleOrDefaultAsync(r => r.TrackingNumber == trackingNumber, cancellationToken);
        if (request is null)
        {
            return false;
        }
        Item = request;
        Regime = (await clocks.RulesAsync(cancellationToken)).RegimeFor(request.GoverningLaw);
        Inputs = await db.Set<RequestClockInput>().AsNoTracking().SingleOrDefaultAsync(i => i.RequestId == request.Id, cancellationToken)
            ?? RequestClockInput.For(request.Id);
        Clocks = await ClockDisplay.ForRequestAsync(db, request.Id, cancellationToken);
        var proposal = await evidence.ProposeAsync(request.Id, cancellationToken);
        // Proposed only while it differs, to the minute the form records, from the receipt on file.
        Proposal = proposal is not null && LocalMinute(proposal.At) != LocalMinute(request.ReceivedAt) ? proposal : null;
        return true;
    }
}
