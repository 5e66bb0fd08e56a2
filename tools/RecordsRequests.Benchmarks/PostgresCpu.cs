using System.Diagnostics;
using Npgsql;

namespace RecordsRequests.Benchmarks;

/// <summary>
/// PostgreSQL's own processor time, read from its processes as the operating system counts it (the server runs on this
/// machine): the backends serving one database, and the server's background processes (WAL writer, checkpointer,
/// background writer, autovacuum), which every database of the server shares. A bench that moves work from the
/// application into the database shows it here, where the application's own CPU would hide it.
/// </summary>
internal sealed record PostgresCpu(Dictionary<int, TimeSpan> Backends, Dictionary<int, TimeSpan> Background)
{
    /// <summary>Reads the processor time of every process of the server that <paramref name="connectionString"/> names, by role.</summary>
    public static async Task<PostgresCpu> ReadAsync(string connectionString, CancellationToken cancellationToken)
    {
        var backends = new Dictionary<int, TimeSpan>();
        var background = new Dictionary<int, TimeSpan>();
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT pid, datname = current_database() AND backend_type = 'client backend' FROM pg_stat_activity WHERE datname = current_database() OR backend_type <> 'client backend'",
            connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (ProcessorTime(reader.GetInt32(0)) is { } time)
            {
                (reader.GetBoolean(1) ? backends : background)[reader.GetInt32(0)] = time;
            }
        }
        return new PostgresCpu(backends, background);
    }

    /// <summary>What each role's processes used since <paramref name="before"/> (a process that started since counts from zero).</summary>
    public (TimeSpan Backends, TimeSpan Background) Since(PostgresCpu before) =>
        (Sum(Backends, before.Backends), Sum(Background, before.Background));

    private static TimeSpan Sum(Dictionary<int, TimeSpan> now, Dictionary<int, TimeSpan> before) =>
        now.Aggregate(TimeSpan.Zero, (total, p) => total + p.Value - before.GetValueOrDefault(p.Key));

    private static TimeSpan? ProcessorTime(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.TotalProcessorTime;
        }
        catch (ArgumentException)
        {
            // Ended between the query and this read.
            return null;
        }
    }
}
