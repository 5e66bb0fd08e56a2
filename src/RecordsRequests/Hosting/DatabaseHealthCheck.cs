using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace RecordsRequests.Hosting;

/// <summary>Healthy when PostgreSQL answers and the schema has been migrated.</summary>
internal sealed class DatabaseHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT to_regclass('public.requests') IS NOT NULL");
            var migrated = (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
            return migrated ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("The database has not been migrated: run ops/records migrate.");
        }
        catch (NpgsqlException e)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL did not answer.", e);
        }
    }
}
