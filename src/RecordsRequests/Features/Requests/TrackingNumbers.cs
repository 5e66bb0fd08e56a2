using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using RecordsRequests.Data;

namespace RecordsRequests.Features.Requests;

/// <summary>
/// Hands out tracking sequences without gaps. The counter row is incremented inside the caller's transaction, so the
/// row lock serialises concurrent submissions and a rolled-back submission gives its number back.
/// </summary>
public static class TrackingNumbers
{
    public static Task<int> NextSequenceAsync(AppDbContext db, int year, CancellationToken cancellationToken) =>
        ReserveAsync(db, year, 1, cancellationToken);

    /// <summary>Reserves <paramref name="count"/> consecutive sequences and returns the first of them.</summary>
    public static async Task<int> ReserveAsync(AppDbContext db, int year, int count, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("A tracking number must be drawn inside the transaction that saves its request.");
        }
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        command.Transaction = (NpgsqlTransaction)db.Database.CurrentTransaction.GetDbTransaction();
        command.CommandText = """
            INSERT INTO tracking_counters (year, last_value) VALUES (@year, @count)
            ON CONFLICT (year) DO UPDATE SET last_value = tracking_counters.last_value + @count
            RETURNING last_value
            """;
        command.Parameters.AddWithValue("year", year);
        command.Parameters.AddWithValue("count", count);
        return (int)(await command.ExecuteScalarAsync(cancellationToken))! - count + 1;
    }
}
