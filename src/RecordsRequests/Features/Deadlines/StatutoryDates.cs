using Microsoft.Extensions.Options;
using RecordsRequests.Features.Requests;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Deadlines;

/// <summary>The statutory clocks of a request, under the district's regime, calendar and counting policy.</summary>
public interface IStatutoryDates
{
    Task<StatutoryClocks> ForAsync(Request request, CancellationToken cancellationToken);

    StatutoryRegime RegimeFor(Request request);
}

public sealed class StatutoryDates(DistrictTime time, IOptions<DeadlineOptions> options) : IStatutoryDates
{
    public Task<StatutoryClocks> ForAsync(Request request, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var calendar = new BusinessCalendar(settings.IncludeSuffolkCountyDays);
        var policy = new CountingPolicy(settings.ClosuresInsidePeriodAreSkipped, settings.AfterHoursCutoff);
        return Task.FromResult(DueDateCalculator.Compute(request.ReceivedAt, time.Zone, RegimeFor(request), calendar, policy));
    }

    public StatutoryRegime RegimeFor(Request request) => request.GoverningLaw switch
    {
        GoverningLaw.StudentRecordAccess => StatutoryRegime.StudentRecordAccess,
        GoverningLaw.MassachusettsPublicRecordsLaw => StatutoryRegime.BuiltIn.SingleOrDefault(r => r.Name == options.Value.Regime)
            ?? throw new InvalidOperationException($"Deadlines:Regime '{options.Value.Regime}' is not a known regime."),
    };
}

public static class DeadlinesModule
{
    public static IServiceCollection AddDeadlines(this IServiceCollection services)
    {
        services.AddOptions<DeadlineOptions>().BindConfiguration(DeadlineOptions.SectionName)
            .Validate(o => StatutoryRegime.BuiltIn.Any(r => r.Name == o.Regime && r != StatutoryRegime.StudentRecordAccess),
                "Deadlines:Regime must be 'municipal' or 'agency'.")
            .ValidateOnStart();
        services.AddScoped<IStatutoryDates, StatutoryDates>();
        return services;
    }
}
