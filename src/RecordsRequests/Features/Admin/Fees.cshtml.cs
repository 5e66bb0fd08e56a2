using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Deadlines;

namespace RecordsRequests.Features.Admin;

/// <summary>The fee settings in effect and the regime they apply under.</summary>
[Authorize(Policy = Policies.Admins)]
public sealed class FeesModel(IOptions<FeeOptions> fees, RequestClockUpdater clocks) : PageModel
{
    public FeeOptions Fees => fees.Value;
    public StatutoryRegime Regime { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken) => Regime = (await clocks.RulesAsync(cancellationToken)).PublicRecordsRegime;
}
