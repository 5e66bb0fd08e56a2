using Hangfire;
using Hangfire.Dashboard;
using Hangfire.PostgreSql;
using Microsoft.Extensions.Options;
using RecordsRequests.Features.Accounts;

namespace RecordsRequests.Hosting;

/// <summary>
/// Hangfire on the application's PostgreSQL database (schema <c>hangfire</c>), for statutory clocks and other
/// background work. Jobs run at least once: every job must be idempotent and take ids, never entities.
/// </summary>
public static class JobsModule
{
    public const string Schema = "hangfire";

    /// <summary>How long after its server stopped being heard of a job is run again elsewhere (setting <c>Jobs__InvisibilityTimeout</c>).</summary>
    public static readonly TimeSpan DefaultInvisibilityTimeout = TimeSpan.FromMinutes(5);

    public static IServiceCollection AddJobs(this IServiceCollection services)
    {
        services.AddHangfire((provider, hangfire) => hangfire
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UsePostgreSqlStorage(
                storage => storage.UseNpgsqlConnection(provider.GetRequiredService<IOptions<RecordsOptions>>().Value.Database),
                new PostgreSqlStorageOptions
                {
                    SchemaName = Schema,
                    // The schema is installed by "ops/records migrate", like every other table.
                    PrepareSchemaIfNecessary = false,
                    QueuePollInterval = TimeSpan.FromSeconds(1),
                    // A job whose server died (killed, power cut) is handed to another server once it has not been
                    // heard of for this long; a running job's hold is renewed in the background meanwhile, so long work
                    // such as a mail collection is not handed out twice while it runs (and a second run would find the
                    // first's lock). Hangfire.PostgreSql's own default is 30 minutes without renewal.
                    InvisibilityTimeout = provider.GetRequiredService<IConfiguration>().GetValue<TimeSpan?>("Jobs:InvisibilityTimeout") ?? DefaultInvisibilityTimeout,
                    UseSlidingInvisibilityTimeout = true,
                }));
        return services;
    }

    /// <summary>The job server runs only in the web host; CLI commands enqueue work for it.</summary>
    public static IServiceCollection AddJobServer(this IServiceCollection services) =>
        services.AddHangfireServer(server =>
        {
            server.SchedulePollingInterval = TimeSpan.FromSeconds(5);
            server.WorkerCount = Math.Max(4, Environment.ProcessorCount * 2);
        });

    public static void MapJobDashboard(this WebApplication app) =>
        app.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [new AdminsOnly()],
            DisplayStorageConnectionString = false,
        }).RequireAuthorization(Policies.Admins);

    /// <summary>Hangfire's default allows any local request; we require the Admin role whatever the origin.</summary>
    private sealed class AdminsOnly : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsInRole(Roles.Admin);
    }
}
