using Hangfire;
using Microsoft.Extensions.Options;
using RecordsRequests.Features.Requests;
using RecordsRequests.Hosting;
using RecordsRequests.Hosting.Cli;

namespace RecordsRequests.Features.Deadlines;

public static class DeadlinesModule
{
    public static IServiceCollection AddDeadlines(this IServiceCollection services)
    {
        services.AddOptions<DeadlineOptions>().BindConfiguration(DeadlineOptions.SectionName)
            .Validate(o => StatutoryRegime.BuiltIn.Any(r => r.Name == o.Regime && r != StatutoryRegime.StudentRecordAccess),
                "Deadlines:Regime must be 'municipal' or 'agency'.")
            .ValidateOnStart();
        services.AddOptions<FeeOptions>().BindConfiguration(FeeOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ReminderOptions>().BindConfiguration(ReminderOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<IStatutoryDateSource, StatutoryDateSource>();
        services.AddScoped<RequestClockUpdater>();
        services.AddScoped<IRequestOpeningContributor, ClocksOnOpening>();
        services.AddScoped<FeeEstimates>();
        services.AddScoped<ReminderSweep>();
        services.AddCliCommand<DeadlinesCommand>();
        return services;
    }

    /// <summary>Registers the daily sweep with Hangfire in the district's time zone (web host only).</summary>
    public static void ScheduleReminderSweep(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<ReminderOptions>>().Value;
        app.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<ReminderSweep>(ReminderSweep.JobId,
            sweep => sweep.RunAsync(CancellationToken.None), options.Schedule,
            new RecurringJobOptions { TimeZone = app.Services.GetRequiredService<DistrictTime>().Zone });
    }
}
