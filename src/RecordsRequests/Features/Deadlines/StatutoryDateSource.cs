using Microsoft.Extensions.Options;
using RecordsRequests.Data;
using RecordsRequests.Features.Requests;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Deadlines;

public sealed class StatutoryDateSource(AppDbContext db, DistrictTime time, IOptions<DeadlineOptions> options) : IStatutoryDateSource
{
    public async Task<StatutoryDates> ForAsync(Request request, CancellationToken cancellationToken)
    {
        var rules = await DeadlineRules.LoadAsync(db, options.Value, cancellationToken);
        return rules.Statutory(request.ReceivedAt, time.Zone, rules.RegimeFor(request.GoverningLaw));
    }

    public StatutoryRegime RegimeFor(Request request) => DeadlineRules.Load(db, options.Value).RegimeFor(request.GoverningLaw);
}
