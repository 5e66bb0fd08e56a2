using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using RecordsRequests.Features.Accounts;

namespace RecordsRequests.Features.Workflow;

[Authorize(Policy = Policies.Admins)]
public sealed class AdminModel(WorkflowAdministration administration) : PageModel
{
    public IReadOnlyList<WorkflowAdministration.FailingInstance> Failing { get; private set; } = [];
    public string? Message { get; private set; }
    public IReadOnlyList<WorkflowAdministration.Disagreement> Disagreeing { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Message = TempData["WorkflowAdminMessage"] as string;
        Failing = await administration.ListFailingAsync(cancellationToken);
        Disagreeing = await administration.ListDisagreeingAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostRetryAsync(string id, CancellationToken cancellationToken)
    {
        TempData["WorkflowAdminMessage"] = await administration.RetryAsync(id, cancellationToken)
            ? "The failing step runs again at the next poll." : "That instance is no longer running.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostTerminateAsync(string id)
    {
        TempData["WorkflowAdminMessage"] = await administration.TerminateAsync(id) ? "Terminated." : "It could not be terminated (running right now, or already ended); try again.";
        return RedirectToPage();
    }
}
