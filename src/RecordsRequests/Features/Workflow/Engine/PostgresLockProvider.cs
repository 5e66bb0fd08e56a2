using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using WorkflowCore.Interface;

namespace RecordsRequests.Features.Workflow.Engine;

/// <summary>
/// Cluster-wide locks for the engine: a PostgreSQL session advisory lock per lock name, held on a connection kept
/// open for as long as the lock is held. If a node dies its connection closes and PostgreSQL releases its locks, so
/// no expiry bookkeeping is needed. AcquireLock is a try-lock, as the engine expects: held elsewhere means false at once.
/// </summary>
public sealed class PostgresLockProvider(NpgsqlDataSource dataSource, ILogger<PostgresLockProvider> log) : IDistributedLockProvider
{
    private readonly ConcurrentDictionary<string, NpgsqlConnection> _held = new(StringComparer.Ordinal);

    public async Task<bool> AcquireLock(string Id, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
            command.Parameters.AddWithValue("key", KeyOf(Id));
            if (await command.ExecuteScalarAsync(cancellationToken) is true && _held.TryAdd(Id, connection))
            {
                return true;
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        // Not acquired, or (never expected) this node already holds it: closing the connection drops any lock it took.
        await connection.DisposeAsync();
        return false;
    }

    public async Task ReleaseLock(string Id)
    {
        if (!_held.TryRemove(Id, out var connection))
        {
            return;
        }
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
            command.Parameters.AddWithValue("key", KeyOf(Id));
            await command.ExecuteScalarAsync();
        }
        catch (NpgsqlException e)
        {
            // A broken connection has lost its session, and with it the lock.
            log.LogWarning(e, "Releasing workflow lock {LockId} failed", Id);
        }
        finally
        {
            await connection.DisposeAsync();
        }
    }

    public Task Start() => Task.CompletedTask;

    public async Task Stop()
    {
        foreach (var id in _held.Keys.ToList())
        {
            await ReleaseLock(id);
        }
    }

    /// <summary>
    /// A stable 64-bit key for the lock name, prefixed so it cannot collide with advisory locks other code might take.
    /// </summary>
    internal static long KeyOf(string lockId) =>
        BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes("records-workflow:" + lockId)), 0);
}
