using Microsoft.EntityFrameworkCore;
using Npgsql;
using RecordsRequests.Features.Deadlines;
using RecordsRequests.Hosting;

namespace RecordsRequests.Data;

public static class DataModule
{
    /// <summary>Statements kept prepared per connection: comfortably more than the distinct queries of the busy pages.</summary>
    public const int AutoPreparedStatements = 100;

    public static IServiceCollection AddRecordsData(this IServiceCollection services)
    {
        services.AddSingleton(provider =>
            BuildDataSource(provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<RecordsOptions>>().Value.Database));
        services.AddDbContext<AppDbContext>((provider, db) => Configure(db, provider.GetRequiredService<NpgsqlDataSource>()));
        return services;
    }

    internal static NpgsqlDataSource BuildDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        // Officers' pages run the same dozen small queries all day; planning each anew cost PostgreSQL more CPU
        // than running it (measured on the request page at 50,000 requests). Npgsql prepares the statements a
        // connection runs repeatedly. A connection string that sets "Max Auto Prepare" (0 turns it off) wins.
        // (Npgsql's own builder answers ContainsKey for every keyword it knows, set or not: ask a plain one.)
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = AutoPreparedStatements;
        }
        return builder.Build();
    }

    internal static DbContextOptionsBuilder Configure(DbContextOptionsBuilder db, NpgsqlDataSource dataSource) =>
        db.UseNpgsql(dataSource, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history"))
          .UseSnakeCaseNamingConvention()
          // The queue's copy of each request is written with every save that changes the request.
          .AddInterceptors(QueueReadModel.Instance);
}
