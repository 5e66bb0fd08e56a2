using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Npgsql;
using RecordsRequests.Hosting;

namespace RecordsRequests.Data;

public static class DataModule
{
    public static IServiceCollection AddRecordsData(this IServiceCollection services)
    {
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<RecordsOptions>>().Value;
            return new NpgsqlDataSourceBuilder(options.Database).Build();
        });
        services.AddDbContext<AppDbContext>((provider, db) => Configure(db, provider.GetRequiredService<NpgsqlDataSource>()));
        return services;
    }

    internal static DbContextOptionsBuilder Configure(DbContextOptionsBuilder db, NpgsqlDataSource dataSource) =>
        db.UseNpgsql(dataSource, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history"))
          .UseSnakeCaseNamingConvention();
}

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without a running database or host.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<AppDbContext>
{
    public AppDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<AppDbContext>();
        DataModule.Configure(builder, new NpgsqlDataSourceBuilder("Host=design-time-only").Build());
        return new AppDbContext(builder.Options, new DesignTimeActor(), TimeProvider.System);
    }

    private sealed class DesignTimeActor : ICurrentActor
    {
        public string Name => "design-time";
    }
}
