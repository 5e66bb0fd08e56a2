using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using RecordsRequests.Features.Accounts;

namespace RecordsRequests.Features.Reports;

[Authorize(Policy = Policies.Officers)]
public sealed class IndexModel(RequestReports reports) : PageModel
{
    public ReportSet Report { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken) => Report = await reports.BuildAsync(cancellationToken);
}
