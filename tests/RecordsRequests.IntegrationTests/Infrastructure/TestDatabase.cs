using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Hosting;
using Respawn;
using Respawn.Graph;

namespace RecordsRequests.IntegrationTests.Infrastructure;

/// <summary>
/// A PostgreSQL database of its own for one test collection (or one test that needs a private one), on the server named
/// by RECORDS_TEST_DB (ops/test starts a throwaway one). Without that variable the tests fail and say how to run them.
/// It is a copy of <see cref="MigratedTemplate"/>, so it starts with exactly what migrations leave behind;
/// <see cref="ResetAsync"/> puts it back to that state between tests, and <see cref="StartTestAsync"/> also gives the
/// collection's one shared web host.
/// </summary>
public sealed class TestDatabase : IAsyncLifetime
{
    private readonly string _adminConnection;
    private readonly SemaphoreSlim _sharedAppGate = new(1, 1);
    private TestApp? _sharedApp;
    private Browser? _sharedBrowser;
    private Respawner? _respawner;

    public TestDatabase()
    {
        _adminConnection = AdminConnection();
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
        await MigratedTemplate.CopyToAsync(_adminConnection, Name);
    }

    public async Task DisposeAsync()
    {
        if (_sharedBrowser is not null)
        {
            await _sharedBrowser.DisposeAsync();
        }
        if (_sharedApp is not null)
        {
            await _sharedApp.DisposeAsync();
        }
        using (var pooled = new NpgsqlConnection(ConnectionString))
        {
            NpgsqlConnection.ClearPool(pooled);
        }
        await using var admin = new NpgsqlConnection(_adminConnection);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
        Directory.Delete(DataPath, recursive: true);
    }

    /// <summary>
    /// Empties every table a test may have written (Respawn) and puts back the rows migrations seed, so each test starts
    /// from the database a district gets after "ops/records migrate". Kept: the migration history, the data-protection
    /// keys the collection's host signs its cookies with, and of the job server's schema what a running host registered
    /// (see <see cref="ClearJobs"/>). The jobs go first, so none is picked up against half-emptied tables.
    /// </summary>
    public async Task ResetAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        _respawner ??= await Respawner.CreateAsync(connection, MigratedTemplate.ResetOptions);
        // The reset truncates, which waits for every open transaction that touched a table; give up before the command
        // timeout so the failure can name what the shared host left open.
        await using (var lockTimeout = new NpgsqlCommand("SET lock_timeout = '20s'", connection))
        {
            await lockTimeout.ExecuteNonQueryAsync();
        }
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using (var clearJobs = new NpgsqlCommand(ClearJobs, connection))
                {
                    await clearJobs.ExecuteNonQueryAsync();
                }
                await _respawner.ResetAsync(connection);
                break;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DeadlockDetected && attempt < 5)
            {
                // The shared host's background work (outbox, workflow engine, job server) was mid-transaction on the
                // tables the reset locks; PostgreSQL chose the reset to give way. Its statement was undone: try again.
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
            {
                throw new InvalidOperationException($"The reset waited 20 s for the tables. Open transactions: {await OpenTransactionsAsync(connection)}", e);
            }
        }
        await MigratedTemplate.RestoreSeedAsync(connection);
        if (_sharedApp is not null)
        {
            // The host keeps a few figures read from the database for some seconds; after a reset they are stale.
            _sharedApp.Services.GetRequiredService<IdleTimeout>().Forget();
            _sharedApp.Services.GetRequiredService<OfficerDirectory>().Forget();
        }
    }

    /// <summary>The other sessions on this database with a transaction open, what they did last and for how long.</summary>
    private static async Task<string> OpenTransactionsAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("""
            SELECT string_agg(format('%s for %s s after "%s"', state, round(extract(epoch FROM now() - xact_start)), left(query, 200)), '; ')
            FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL
            """, connection);
        return await command.ExecuteScalarAsync() as string ?? "none";
    }

    /// <summary>
    /// Hangfire's jobs, whatever their state (queued, scheduled, retrying, processing, finished), with their states and
    /// parameters (deleted with the job), the sets and lists that name them, and the counters that count them: a job an
    /// earlier test queued would otherwise run during the next one, against rows the reset removed. Kept, as a host that
    /// outlives the reset expects: the schema's version, the servers and the locks they hold, and the recurring jobs
    /// registered at start-up (set <c>recurring-jobs</c>, hashes <c>recurring-job:…</c>). Table layout: Hangfire.PostgreSql's
    /// install scripts (jobqueue names its job without a foreign key, so it is emptied on its own).
    /// </summary>
    private static readonly string ClearJobs = $"""
        DELETE FROM {JobsModule.Schema}.jobqueue;
        DELETE FROM {JobsModule.Schema}.job;
        DELETE FROM {JobsModule.Schema}.set WHERE key <> 'recurring-jobs';
        DELETE FROM {JobsModule.Schema}.hash WHERE key NOT LIKE 'recurring-job:%';
        DELETE FROM {JobsModule.Schema}.list;
        DELETE FROM {JobsModule.Schema}.counter;
        DELETE FROM {JobsModule.Schema}.aggregatedcounter;
        """;

    /// <summary>
    /// For a test of a collection that shares one web host: the database reset to its migrated state, and the host,
    /// started by the collection's first test and stopped when the collection ends. Its settings are the suite's
    /// (<see cref="TestApp"/>); a test that needs other settings starts its own host in a collection without a shared one.
    /// </summary>
    public async Task<TestApp> StartTestAsync()
    {
        await ResetAsync();
        await _sharedAppGate.WaitAsync();
        try
        {
            return _sharedApp ??= await TestApp.StartAsync(this);
        }
        finally
        {
            _sharedAppGate.Release();
        }
    }

    /// <summary>As <see cref="StartTestAsync"/>, with the collection's one chromium beside its host.</summary>
    public async Task<BrowserApp> StartBrowserTestAsync()
    {
        var app = await StartTestAsync();
        await _sharedAppGate.WaitAsync();
        try
        {
            if (_sharedBrowser is null)
            {
                var browser = new Browser();
                await browser.InitializeAsync();
                _sharedBrowser = browser;
            }
            return BrowserApp.Borrow(_sharedBrowser, app);
        }
        finally
        {
            _sharedAppGate.Release();
        }
    }

    /// <summary>
    /// The application's own service registrations, pointed at this database, with any extra settings and any services a
    /// test adds (one that listens where the application lets features listen).
    /// </summary>
    public ServiceProvider BuildServices(TimeProvider? clock = null, IEnumerable<KeyValuePair<string, string?>>? settings = null,
        Action<IServiceCollection>? addServices = null) =>
        BuildServices(Settings(), clock, settings, addServices);

    private static ServiceProvider BuildServices(Dictionary<string, string?> baseSettings, TimeProvider? clock = null,
        IEnumerable<KeyValuePair<string, string?>>? settings = null, Action<IServiceCollection>? addServices = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(baseSettings)
            .AddInMemoryCollection(settings ?? [])
            .Build();
        services.AddSingleton<IConfiguration>(configuration);
        RecordsHost.AddRecordsCore(services);
        if (clock is not null)
        {
            services.AddSingleton(clock);
        }
        addServices?.Invoke(services);
        return HangfireGlobals.BuildPinned(() => services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true }), provider => provider);
    }

    /// <summary>
    /// The database and data folder; and the spamd of ops/test when there is one, so mail every test sends through the
    /// SMTP listener is scored as in production (the spam tests themselves insist on it: <see cref="SpamFilter.FromEnvironment"/>).
    /// </summary>
    public Dictionary<string, string?> Settings() => Settings(ConnectionString, DataPath);

    private static Dictionary<string, string?> Settings(string connectionString, string dataPath)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Records:Database"] = connectionString,
            ["Records:DataPath"] = dataPath,
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

    private static string AdminConnection() =>
        Environment.GetEnvironmentVariable("RECORDS_TEST_DB")
        ?? throw new InvalidOperationException(
            "RECORDS_TEST_DB is not set. Run the tests with ops/test, which starts a throwaway PostgreSQL, or set RECORDS_TEST_DB " +
            "to a connection string for a PostgreSQL server where this user may create databases.");

    /// <summary>
    /// One database per test run, migrated once (EF migrations and the job schema, as "ops/records migrate" does), that
    /// every <see cref="TestDatabase"/> is copied from: CREATE DATABASE … TEMPLATE copies files, far faster than
    /// migrating again, so each collection can have a database of its own and run beside the others.
    /// </summary>
    private static class MigratedTemplate
    {
        private static readonly SemaphoreSlim Gate = new(1, 1);
        private static string? _name;

        /// <summary>The rows the migrations seed (table, COPY BINARY image), written back after each reset.</summary>
        private static List<(string Table, byte[] Rows)> _seed = [];

        public static readonly RespawnerOptions ResetOptions = new()
        {
            DbAdapter = DbAdapter.Postgres,
            SchemasToExclude = [JobsModule.Schema],
            TablesToIgnore = [new Table("public", "__EFMigrationsHistory"), new Table("public", "data_protection_keys")],
        };

        public static async Task CopyToAsync(string adminConnection, string name)
        {
            var template = await NameAsync(adminConnection);
            await using var admin = new NpgsqlConnection(adminConnection);
            await admin.OpenAsync();
            // Two collections may copy at the same moment; PostgreSQL refuses a copy while another session is in the
            // template ("being accessed by other users"), so wait a moment and try again.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"", admin);
                    await create.ExecuteNonQueryAsync();
                    return;
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ObjectInUse && attempt < 50)
                {
                    await Task.Delay(100);
                }
            }
        }

        public static async Task RestoreSeedAsync(NpgsqlConnection connection)
        {
            foreach (var (table, rows) in _seed)
            {
                await using var copy = await connection.BeginRawBinaryCopyAsync($"COPY {table} FROM STDIN (FORMAT BINARY)");
                await copy.WriteAsync(rows);
            }
        }

        private static async Task<string> NameAsync(string adminConnection)
        {
            await Gate.WaitAsync();
            try
            {
                return _name ??= await CreateAsync(adminConnection);
            }
            finally
            {
                Gate.Release();
            }
        }

        private static async Task<string> CreateAsync(string adminConnection)
        {
            var name = $"records_template_{Guid.NewGuid():N}";
            // No pooling: an idle pooled connection left in the template would stop every copy of it.
            var connectionString = new NpgsqlConnectionStringBuilder(adminConnection) { Database = name, Pooling = false }.ConnectionString;
            await using (var admin = new NpgsqlConnection(adminConnection))
            {
                await admin.OpenAsync();
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
                await create.ExecuteNonQueryAsync();
            }
            AppDomain.CurrentDomain.ProcessExit += (_, _) => Drop(adminConnection, name);
            var dataPath = Directory.CreateTempSubdirectory("records-template-").FullName;
            try
            {
                await using var services = BuildServices(Settings(connectionString, dataPath));
                await using var scope = services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<AppDbContext>().Database.MigrateAsync();
                await MigrateCommand.InstallJobSchemaAsync(scope.ServiceProvider.GetRequiredService<NpgsqlDataSource>(), CancellationToken.None);
            }
            finally
            {
                Directory.Delete(dataPath, recursive: true);
            }
            _seed = await ReadSeedAsync(connectionString);
            return name;
        }

        /// <summary>Every table the reset empties that the migrations left rows in (regime settings, for one).</summary>
        private static async Task<List<(string Table, byte[] Rows)>> ReadSeedAsync(string connectionString)
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            var tables = new List<string>();
            await using (var list = new NpgsqlCommand(
                "SELECT format('%I.%I', schemaname, tablename) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema', $1) " +
                "AND tablename NOT IN ('__EFMigrationsHistory', 'data_protection_keys') ORDER BY 1", connection))
            {
                list.Parameters.AddWithValue(JobsModule.Schema);
                await using var reader = await list.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    tables.Add(reader.GetString(0));
                }
            }
            var seed = new List<(string, byte[])>();
            foreach (var table in tables)
            {
                await using (var any = new NpgsqlCommand($"SELECT EXISTS (SELECT 1 FROM {table})", connection))
                {
                    if (!(bool)(await any.ExecuteScalarAsync())!)
                    {
                        continue;
                    }
                }
                using var image = new MemoryStream();
                await using (var copy = await connection.BeginRawBinaryCopyAsync($"COPY {table} TO STDOUT (FORMAT BINARY)"))
                {
                    await copy.CopyToAsync(image);
                }
                seed.Add((table, image.ToArray()));
            }
            return seed;
        }

        private static void Drop(string adminConnection, string name)
        {
            try
            {
                using var admin = new NpgsqlConnection(adminConnection);
                admin.Open();
                using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", admin);
                drop.ExecuteNonQuery();
            }
            catch (NpgsqlException)
            {
                // ops/test deletes its whole throwaway server anyway; on a developer's own server the template is left.
            }
        }
    }
}
