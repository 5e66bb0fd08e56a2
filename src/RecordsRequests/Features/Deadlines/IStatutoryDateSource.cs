using RecordsRequests.Features.Requests;

namespace RecordsRequests.Features.Deadlines;

/// <summary>A request's statutory dates computed now, under the district's regime, calendar (with closures) and counting policy; nothing is stored (its stored clocks are <see cref="RequestClock"/> rows).</summary>
public interface IStatutoryDateSource
{
    Task<StatutoryDates> ForAsync(Request request, CancellationToken cancellationToken);

    StatutoryRegime RegimeFor(Request request);
}
