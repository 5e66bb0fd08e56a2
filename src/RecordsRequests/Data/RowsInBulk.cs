using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace RecordsRequests.Data;

/// <summary>
/// Writes the rows a save adds with PostgreSQL's binary COPY, one statement a table, instead of EF Core's INSERT a row,
/// and the rows it changes with one UPDATE a table from arrays of their values, instead of an UPDATE a row: a mailbox
/// catching up adds thousands of rows a minute (requests, their clocks and timeline messages, audit events) and decides
/// as many recorded ones, and building, sending and planning a statement each cost the application and the database
/// more than the rows. The columns and values are EF Core's own (its model's table and column names and value
/// converters), so a row written here is the row EF Core would write. Tables are written parents first, so foreign keys
/// hold at every statement. Only plain tables are written; an entity type EF Core maps otherwise (an owned or complex
/// type, inheritance, a value the database generates that the row needs back, a concurrency token) is left to EF
/// Core's save.
/// </summary>
internal static class RowsInBulk
{
    /// <summary>
    /// Copies the added rows of the types it can and marks them saved (nothing reads back a value the database
    /// generates); returns how many rows it wrote. Must run inside the caller's transaction, after the save's audit
    /// events were captured and chained, and before EF Core saves what is left.
    /// </summary>
    public static async Task<int> CopyAddedAsync(DbContext db, CancellationToken cancellationToken)
    {
        var added = db.ChangeTracker.Entries().Where(e => e.State == EntityState.Added).GroupBy(e => e.Metadata)
            .Select(g => (Plan: PlanFor(g.Key), Rows: g.ToList())).Where(t => t.Plan is not null).ToList();
        if (added.Count == 0)
        {
            return 0;
        }
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var written = new List<EntityEntry>();
        foreach (var (plan, rows) in ParentsFirst(added!))
        {
            await using (var importer = await connection.BeginBinaryImportAsync(plan.Copy, cancellationToken))
            {
                foreach (var row in rows)
                {
                    await importer.StartRowAsync(cancellationToken);
                    // Read by the model's property, not looked up by name into an entry object for every value.
                    var values = row.CurrentValues;
                    foreach (var column in plan.Columns)
                    {
                        await column.WriteAsync(importer, values[column.Property], cancellationToken);
                    }
                }
                await importer.CompleteAsync(cancellationToken);
            }
            written.AddRange(rows);
        }
        foreach (var row in written)
        {
            // Saved, as EF Core would leave them. Detaching one would make EF Core cut its tracked children loose (set
            // their keys to it to null); only rows whose key the database assigned (audit events) are let go, since
            // their key is not known here, and nothing refers to them.
            row.State = PlanFor(row.Metadata)!.Generated.Any(p => row.Property(p).IsTemporary) ? EntityState.Detached : EntityState.Unchanged;
        }
        return written.Count;
    }

    /// <summary>
    /// Writes the changed rows of the types it can, one UPDATE a table setting every column changed in any of them (each
    /// row's current values; a column a row did not change is set to the value it has), and marks them saved; returns how
    /// many rows it wrote. Must run inside the caller's transaction, after the save's audit events were captured and the
    /// added rows copied (a changed row may name one), and before EF Core saves what is left.
    /// </summary>
    public static async Task<int> UpdateModifiedAsync(DbContext db, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var transaction = (NpgsqlTransaction)db.Database.CurrentTransaction!.GetDbTransaction();
        var written = 0;
        foreach (var group in db.ChangeTracker.Entries().Where(e => e.State == EntityState.Modified).GroupBy(e => e.Metadata).ToList())
        {
            if (PlanFor(group.Key) is not { Keys.Count: > 0 } plan || group.Key.GetProperties().Any(p => p.IsConcurrencyToken))
            {
                continue;
            }
            var rows = group.ToList();
            var changed = plan.Columns.Where(c => !c.Property.IsPrimaryKey() && rows.Any(r => r.Property(c.Property).IsModified)).ToList();
            var columns = plan.Keys.Concat(changed).ToList();
            await using var command = new NpgsqlCommand(
                $"UPDATE {plan.Table} AS t SET {string.Join(", ", changed.Select(c => $"{Quote(c.Name)} = s.{Quote(c.Name)}"))} "
                + $"FROM unnest({string.Join(", ", columns.Select((c, i) => $"${i + 1}::{c.DataType}[]"))}) AS s({string.Join(", ", columns.Select(c => Quote(c.Name)))}) "
                + $"WHERE {string.Join(" AND ", plan.Keys.Select(k => $"t.{Quote(k.Name)} = s.{Quote(k.Name)}"))}",
                connection, transaction);
            foreach (var column in columns)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = column.ArrayOf(rows.Select(r => r.CurrentValues[column.Property])) });
            }
            if (await command.ExecuteNonQueryAsync(cancellationToken) != rows.Count)
            {
                throw new DbUpdateConcurrencyException($"Some of the {rows.Count} changed rows of {plan.Table} were no longer there to update.",
                    rows.Cast<Microsoft.EntityFrameworkCore.Update.IUpdateEntry>().ToList());
            }
            foreach (var row in rows)
            {
                // Saved, as EF Core would leave them: what they hold now is what the database holds.
                row.OriginalValues.SetValues(row.CurrentValues);
                row.State = EntityState.Unchanged;
            }
            written += rows.Count;
        }
        return written;
    }

    /// <summary>Tables in an order where every row's parent table comes before it (a foreign key to a table copied here).</summary>
    private static List<(TablePlan Plan, List<EntityEntry> Rows)> ParentsFirst(List<(TablePlan Plan, List<EntityEntry> Rows)> tables)
    {
        var ordered = new List<(TablePlan, List<EntityEntry>)>(tables.Count);
        var done = new HashSet<IEntityType>();
        var waiting = tables.ToList();
        while (waiting.Count > 0)
        {
            var ready = waiting.Where(t => t.Plan.Parents.All(p => done.Contains(p) || waiting.All(w => w.Plan.EntityType != p))).ToList();
            if (ready.Count == 0)
            {
                throw new InvalidOperationException("The added rows' tables refer to each other in a cycle; they cannot be copied one table at a time.");
            }
            foreach (var table in ready)
            {
                ordered.Add(table);
                done.Add(table.Plan.EntityType);
                waiting.Remove(table);
            }
        }
        return ordered;
    }

    private static readonly ConcurrentDictionary<IEntityType, TablePlan?> Plans = new();

    private static TablePlan? PlanFor(IEntityType type) => Plans.GetOrAdd(type, static t => BuildPlan(t));

    private static TablePlan? BuildPlan(IEntityType type)
    {
        if (type.GetTableName() is not { } table || type.BaseType is not null || type.GetDerivedTypes().Any() || type.IsOwned()
            || type.GetComplexProperties().Any() || type.GetNavigations().Any(n => n.TargetEntityType.IsOwned()))
        {
            return null;
        }
        var columns = new List<Column>();
        foreach (var property in type.GetProperties())
        {
            // What the database fills in (an identity key, a row version): not written, as EF Core would not.
            if ((property.ValueGenerated.HasFlag(ValueGenerated.OnUpdate))
                || (property.ValueGenerated != ValueGenerated.Never && property.GetValueGenerationStrategy() != NpgsqlValueGenerationStrategy.None)
                || property.GetDefaultValueSql() is not null || property.GetComputedColumnSql() is not null)
            {
                if (property.IsPrimaryKey() || property.ValueGenerated.HasFlag(ValueGenerated.OnUpdate))
                {
                    continue;
                }
                return null;
            }
            var mapping = (RelationalTypeMapping)property.GetTypeMapping();
            var provider = mapping.Converter?.ProviderClrType ?? property.ClrType;
            if (Column.Writer(Nullable.GetUnderlyingType(provider) ?? provider) is not { } write)
            {
                return null;
            }
            columns.Add(new Column(property, property.GetColumnName(), mapping.StoreTypeNameBase, mapping.Converter is { } c ? c.ConvertToProvider : null, write));
        }
        var name = type.GetSchema() is { } schema ? $"{Quote(schema)}.{Quote(table)}" : Quote(table);
        var parents = type.GetForeignKeys().Select(k => k.PrincipalEntityType).Where(p => p != type).Distinct().ToList();
        // The key's columns, to find a changed row by (none when the database assigns the key: such rows are not updated here).
        var keys = type.FindPrimaryKey()!.Properties.Select(p => columns.FirstOrDefault(c => c.Property == p)).ToList();
        return new TablePlan(type, name, $"COPY {name} ({string.Join(", ", columns.Select(c => Quote(c.Name)))}) FROM STDIN (FORMAT BINARY)", columns,
            keys.Contains(null) ? [] : keys.OfType<Column>().ToList(), parents,
            type.GetProperties().Where(p => p.ValueGenerated != ValueGenerated.Never).ToList());
    }

    private static string Quote(string identifier) => $"\"{identifier.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    /// <param name="Generated">The properties EF Core generates values for: only these can hold a temporary value (a key the database assigns).</param>
    private sealed record TablePlan(IEntityType EntityType, string Table, string Copy, List<Column> Columns, List<Column> Keys, List<IEntityType> Parents,
        List<IProperty> Generated);

    /// <param name="DataType">The column's type without its length or precision, as PostgreSQL names it ("character varying", "json").</param>
    private sealed record Column(IProperty Property, string Name, string DataType, Func<object?, object?>? ToProvider,
        Func<NpgsqlBinaryImporter, object, string, CancellationToken, Task> Write)
    {
        public Task WriteAsync(NpgsqlBinaryImporter importer, object? value, CancellationToken cancellationToken)
        {
            var stored = Stored(value);
            return stored is null ? importer.WriteNullAsync(cancellationToken) : Write(importer, stored, DataType, cancellationToken);
        }

        /// <summary>The values as an array of what the column stores (nullable, for a value type), for unnest.</summary>
        public Array ArrayOf(IEnumerable<object?> values)
        {
            var stored = values.Select(Stored).ToList();
            var type = Property.GetTypeMapping().Converter?.ProviderClrType ?? Property.ClrType;
            type = Nullable.GetUnderlyingType(type) ?? type;
            var array = Array.CreateInstance(type.IsValueType ? typeof(Nullable<>).MakeGenericType(type) : type, stored.Count);
            for (var i = 0; i < stored.Count; i++)
            {
                array.SetValue(stored[i], i);
            }
            return array;
        }

        private object? Stored(object? value) => (ToProvider is null || value is null ? value : ToProvider(value)) switch
        {
            // timestamptz takes instants in UTC only.
            DateTimeOffset at => at.ToUniversalTime(),
            var other => other,
        };

        /// <summary>A typed write for each value type the application's tables store; null for one it does not know (the table is left to EF Core).</summary>
        public static Func<NpgsqlBinaryImporter, object, string, CancellationToken, Task>? Writer(Type type) =>
            type == typeof(string) ? (i, v, t, c) => i.WriteAsync((string)v, t, c)
            : type == typeof(Guid) ? (i, v, t, c) => i.WriteAsync((Guid)v, t, c)
            : type == typeof(DateTimeOffset) ? (i, v, t, c) => i.WriteAsync((DateTimeOffset)v, t, c)
            : type == typeof(DateTime) ? (i, v, t, c) => i.WriteAsync((DateTime)v, t, c)
            : type == typeof(DateOnly) ? (i, v, t, c) => i.WriteAsync((DateOnly)v, t, c)
            : type == typeof(TimeSpan) ? (i, v, t, c) => i.WriteAsync((TimeSpan)v, t, c)
            : type == typeof(int) ? (i, v, t, c) => i.WriteAsync((int)v, t, c)
            : type == typeof(long) ? (i, v, t, c) => i.WriteAsync((long)v, t, c)
            : type == typeof(short) ? (i, v, t, c) => i.WriteAsync((short)v, t, c)
            : type == typeof(bool) ? (i, v, t, c) => i.WriteAsync((bool)v, t, c)
            : type == typeof(double) ? (i, v, t, c) => i.WriteAsync((double)v, t, c)
            : type == typeof(decimal) ? (i, v, t, c) => i.WriteAsync((decimal)v, t, c)
            : type == typeof(byte[]) ? (i, v, t, c) => i.WriteAsync((byte[])v, t, c)
            // A document's own text, as it was written (the audit trail's canonical snapshot, whose text the chain hashed),
            // not serialized again by the driver: its UTF-8 bytes as they are, which a json column takes as its text (not
            // made a string to be encoded back to the same bytes).
            : type == typeof(JsonDocument) ? (i, v, t, c) => i.WriteAsync(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(((JsonDocument)v).RootElement).ToArray(), t, c)
            : null;
    }
}
