using Microsoft.Extensions.Options;
using RecordsRequests.Data;
using RecordsRequests.Features.Requests;
using RecordsRequests.Hosting;
using RecordsRequests.Hosting.Cli;

namespace RecordsRequests.Features.Deadlines;

/// <summary>The statutory clocks of a request, under the district's regime, calendar (with closures) and counting policy.</summary>
public interface IStatutoryDates
{
    Task<StatutoryClocks> ForAsync(Request request, CancellationToken cancellationToken);

    StatutoryRegime RegimeFor(Request request);
}
