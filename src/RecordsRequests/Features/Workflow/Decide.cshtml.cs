using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;

namespace RecordsRequests.Features.Workflow;

/// <summary>The request page's workflow buttons post here: each completes the human step the workflow waits on.</summary>
[Authorize(Policy = Policies.Officers)]
public sealed class DecideModel(AppDbContext db, RequestLifecycle lifecycle) : PageModel
{
    [BindProperty]
    public LifecycleEvent Event { get; set; }

    [BindProperty]
    public string Outcome { get; set; } = "";

    [BindProperty]
    public string? Comments { get; set; }

    /// <summary>The hours and pages of a fee estimate; the fee itself is computed (950 CMR 32.07).</summary>
    [BindProperty]
    public FeeFigures Fee { get; set; } = new();

    public IActionResult OnGet(string trackingNumber) => Redirect($"/requests/{Uri.EscapeDataString(trackingNumber)}");

    public async Task<IActionResult> OnPostAsync(string trackingNumber, CancellationToken cancellationToken)
    {
        var requestId = await FindAsync(trackingNumber, cancellationToken);
        if (requestId is null)
        {
            return NotFound();
        }
        var result = await lifecycle.PublishAsync(requestId.Value, Event, Outcome, Comments, cancellationToken,
            fee: Event == LifecycleEvent.FeeDecided && Outcome == "estimate" ? Fee : null);
        if (result.Outcome != RequestLifecycle.PublishOutcome.Accepted)
        {
            TempData["WorkflowMessage"] = result.Reason;
        }
        else
        {
            // The page this redirects to shows the next step, not the buttons of the one just decided.
            var moved = await lifecycle.WaitUntilMovedAsync(requestId.Value, Event, cancellationToken);
            TempData["WorkflowMessage"] = $"Recorded: {LifecycleWords.Outcome(result.NodeId!, Outcome)}."
                + (moved ? "" : " The workflow is still taking the step; reload the page in a moment.");
        }
        return Redirect($"/requests/{Uri.EscapeDataString(trackingNumber)}");
    }

    public async Task<IActionResult> OnPostWithdrawAsync(string trackingNumber, CancellationToken cancellationToken)
    {
        var requestId = await FindAsync(trackingNumber, cancellationToken);
        if (requestId is null)
        {
            return NotFound();
        }
        try
        {
            await lifecycle.WithdrawAsync(requestId.Value, null, cancellationToken);
            TempData["WorkflowMessage"] = "The request is withdrawn.";
        }
        catch (DomainException e)
        {
            TempData["WorkflowMessage"] = e.Message;
        }
        return Redirect($"/requests/{Uri.EscapeDataString(trackingNumber)}");
    }

    private async Task<Guid?> FindAsync(string trackingNumber, CancellationToken cancellationToken) =>
        await db.Requests.Where(r => r.TrackingNumber == trackingNumber).Select(r => (Guid?)r.Id).SingleOrDefaultAsync(cancellationToken);
}
