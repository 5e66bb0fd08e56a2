using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using RecordsRequests.Data;
using RecordsRequests.Hosting;

namespace RecordsRequests.IntegrationTests.Infrastructure;

/// <summary>
/// A freshly created and migrated PostgreSQL database for one test run, on the server named by RECORDS_TEST_DB
/// (ops/test starts a throwaway one). Without that variable the tests fail and say how to run them.
/// </summary>
public sealed class TestDatabase : IAsyncLifetime
{
    private readonly string _adminConnection;

    public TestDatabase()
    {
        _adminConnection = Environment.GetEnvironmentVariable("RECORDS_TEST_DB")
            ?? throw new InvalidOperationException(
                "RECORDS_TEST_DB is not set. Run the tests with ops/test, which starts a throwaway PostgreSQL, or set RECORDS_TEST_DB " +
                "to a connection string for a PostgreSQL server where this user may create databases.");
        Name = $"records_test_{Guid.NewGuid():N}";
        ConnectionString = new NpgsqlConnectionStringBuilder(_adminConnection) { Database = Name }.ConnectionString;
        DataPath = Path.Combine(Path.GetTempPath(), Name);
    }

    public string Name { get; }
    public string ConnectionString { get; }

    /// <summary>A private data folder for the run, removed afterwards.</summary>
    public string DataPath { get; }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(DataPath);
        await using (var admin = new NpgsqlConnection(_adminConnection))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{Name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }
        await using var services = BuildServices();
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AppDbContext>().Database.MigrateAsync();
        await MigrateCommand.InstallJobSchemaAsync(scope.ServiceProvider.GetRequiredService<NpgsqlDataSource>(), CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(_adminConnection);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
        Directory.Delete(DataPath, recursive: true);
    }

    /// <summary>The application's own service registrations, pointed at this database, with any extra settings.</summary>
    public ServiceProvider BuildServices(TimeProvider? clock = null, IEnumerable<KeyValuePair<string, string?>>? settings = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(Settings())
            .AddInMemoryCollection(settings ?? [])
            .Build();
        services.AddSingleton<IConfiguration>(configuration);
        RecordsHost.AddRecordsCore(services);
        if (clock is not null)
        {
            services.AddSingleton(clock);
        }
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    /// <summary>
    /// The database and data folder; and the spamd of ops/test when there is one, so mail every test sends through the
    /// SMTP listener is scored as in production (the spam tests themselves insist on it: <see cref="SpamFilter.FromEnvironment"/>).
    /// </summary>
    public Dictionary<string, string?> Settings()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Records:Database"] = ConnectionString,
            ["Records:DataPath"] = DataPath,
        };
        foreach (var (key, value) in SpamFilter.FromEnvironmentOrNull()?.Settings() ?? [])
        {
            settings[key] = value;
        }
        return settings;
    }

    public async Task<int> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}

[CollectionDefinition(Name)]
public sealed class DatabaseCollection : ICollectionFixture<TestDatabase>
{
    public const string Name = "database";
}
