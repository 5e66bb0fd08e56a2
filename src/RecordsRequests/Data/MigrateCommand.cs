using Hangfire.PostgreSql;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using RecordsRequests.Hosting;
using RecordsRequests.Hosting.Cli;

namespace RecordsRequests.Data;

/// <summary>Applies database migrations. The web host never migrates on its own: an upgrade is migrate, then start.</summary>
internal sealed class MigrateCommand(AppDbContext db, NpgsqlDataSource dataSource) : ICliCommand
{
    public async Task<int> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        new CliArguments(arguments, new HashSet<string>()).RejectUnknown();
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        await db.Database.MigrateAsync(cancellationToken);
        await InstallJobSchemaAsync(dataSource, cancellationToken);
        Console.WriteLine(pending.Count == 0 ? "Database is up to date." : $"Applied {pending.Count} migration(s): {string.Join(", ", pending)}");
        return 0;
    }

    /// <summary>Hangfire's own installer is idempotent and versioned; running it here keeps schema changes explicit.</summary>
    internal static async Task InstallJobSchemaAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        PostgreSqlObjectsInstaller.Install(connection, JobsModule.Schema);
    }
}
