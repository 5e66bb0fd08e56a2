using Npgsql;
using NpgsqlTypes;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace RecordsRequests.Features.Workflow.Engine;

/// <summary>
/// WorkflowCore's store on PostgreSQL (schema <c>workflow</c>). Every call opens its own pooled connection from the
/// data source, so the engine's concurrent consumers and pollers never share one. Execution pointers are kept as one
/// JSON document per instance: the engine always loads and saves an instance whole, under its lock.
/// </summary>
public sealed class PostgresPersistenceProvider(NpgsqlDataSource dataSource) : IPersistenceProvider
{
    public bool SupportsScheduledCommands => true;

    public void EnsureStoreExists()
    {
        // The schema is installed by the WorkflowStore migration ("ops/records migrate"); fail early if it is not.
        using var connection = dataSource.OpenConnection();
        using var command = new NpgsqlCommand("SELECT to_regclass('workflow.instances') IS NOT NULL", connection);
        if (command.ExecuteScalar() is not true)
        {
            throw new InvalidOperationException("The workflow schema is missing: run 'ops/records migrate' before starting the app.");
        }
    }

    // ---- workflows ----

    /// <summary>
    /// Inserts a new instance. Starts that arrive while an insert is being written (a batch of intake starting the
    /// lifecycles of the requests it opened) wait and are written together by the next insert, in one statement and one
    /// commit (group commit): a commit each made thousands of lifecycle starts wait for thousands of WAL flushes.
    /// </summary>
    public async Task<string> CreateNewWorkflow(WorkflowInstance workflow, CancellationToken cancellationToken = default)
    {
        workflow.Id = Guid.NewGuid().ToString();
        var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool write;
        lock (_creating)
        {
            _toCreate.Add((workflow, created));
            write = !_writingCreated;
            _writingCreated = true;
        }
        if (write)
        {
            await WriteCreatedAsync();
        }
        await created.Task.WaitAsync(cancellationToken);
        return workflow.Id;
    }

    private readonly Lock _creating = new();
    private List<(WorkflowInstance Workflow, TaskCompletionSource Created)> _toCreate = [];
    private bool _writingCreated;

    /// <summary>Writes the waiting new instances until none wait; one caller at a time does this for all.</summary>
    private async Task WriteCreatedAsync()
    {
        while (true)
        {
            List<(WorkflowInstance Workflow, TaskCompletionSource Created)> waiting;
            lock (_creating)
            {
                if (_toCreate.Count == 0)
                {
                    _writingCreated = false;
                    return;
                }
                (waiting, _toCreate) = (_toCreate, []);
            }
            try
            {
                await InsertWorkflowsAsync(waiting.Select(w => w.Workflow).ToList());
                waiting.ForEach(w => w.Created.SetResult());
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && waiting.Count > 1)
            {
                // One of them was started by another door meanwhile (the unique reference): each alone, so only that one fails.
                foreach (var (workflow, created) in waiting)
                {
                    try
                    {
                        await InsertWorkflowsAsync([workflow]);
                        created.SetResult();
                    }
                    catch (Exception one)
                    {
                        created.SetException(one);
                    }
                }
            }
            catch (Exception e)
            {
                waiting.ForEach(w => w.Created.SetException(e));
            }
        }
    }

    /// <summary>The instances in one statement (one commit); written for every caller waiting, so no caller's cancellation stops it.</summary>
    private async Task InsertWorkflowsAsync(List<WorkflowInstance> workflows)
    {
        await using var connection = await dataSource.OpenConnectionAsync(CancellationToken.None);
        if (workflows.Count == 1)
        {
            await using var one = new NpgsqlCommand("""
                INSERT INTO workflow.instances (id, definition_id, version, description, reference, status, next_execution, create_time, complete_time, data, execution_pointers)
                VALUES (@id, @definition_id, @version, @description, @reference, @status, @next_execution, @create_time, @complete_time, @data, @execution_pointers)
                """, connection);
            AddWorkflowParameters(one, workflows[0]);
            await one.ExecuteNonQueryAsync(CancellationToken.None);
            return;
        }
        await using var many = new NpgsqlCommand("""
            INSERT INTO workflow.instances (id, definition_id, version, description, reference, status, next_execution, create_time, complete_time, data, execution_pointers)
            SELECT * FROM unnest(@id, @definition_id, @version, @description, @reference, @status, @next_execution, @create_time, @complete_time, @data, @execution_pointers)
            """, connection);
        many.Parameters.AddWithValue("id", workflows.Select(w => Guid.Parse(w.Id)).ToArray());
        many.Parameters.AddWithValue("definition_id", workflows.Select(w => w.WorkflowDefinitionId).ToArray());
        many.Parameters.AddWithValue("version", workflows.Select(w => w.Version).ToArray());
        many.Parameters.Add(TextArray("description", workflows.Select(w => w.Description)));
        many.Parameters.Add(TextArray("reference", workflows.Select(w => w.Reference)));
        many.Parameters.AddWithValue("status", workflows.Select(w => (int)w.Status).ToArray());
        many.Parameters.Add(new NpgsqlParameter<long?[]>("next_execution", NpgsqlDbType.Array | NpgsqlDbType.Bigint)
        {
            TypedValue = workflows.Select(w => w.NextExecution).ToArray(),
        });
        many.Parameters.Add(new NpgsqlParameter<DateTime[]>("create_time", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz)
        {
            TypedValue = workflows.Select(w => Utc(w.CreateTime)).ToArray(),
        });
        many.Parameters.Add(new NpgsqlParameter<DateTime?[]>("complete_time", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz)
        {
            TypedValue = workflows.Select(w => w.CompleteTime is null ? (DateTime?)null : Utc(w.CompleteTime.Value)).ToArray(),
        });
        many.Parameters.Add(TextArray("data", workflows.Select(w => WorkflowJson.SerializeObject(w.Data))));
        many.Parameters.Add(TextArray("execution_pointers", workflows.Select(w => WorkflowJson.Serialize(w.ExecutionPointers.ToList()))));
        await many.ExecuteNonQueryAsync(CancellationToken.None);
    }

    public Task PersistWorkflow(WorkflowInstance workflow, CancellationToken cancellationToken = default) =>
        PersistWorkflow(workflow, [], cancellationToken);

    /// <summary>The instance and the subscriptions its WaitFor steps just opened commit together, or not at all.</summary>
    public async Task PersistWorkflow(WorkflowInstance workflow, List<EventSubscription> subscriptions, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand("""
            UPDATE workflow.instances SET definition_id = @definition_id, version = @version, description = @description,
                reference = @reference, status = @status, next_execution = @next_execution, create_time = @create_time,
                complete_time = @complete_time, data = @data, execution_pointers = @execution_pointers
            WHERE id = @id
            """, connection, transaction))
        {
            AddWorkflowParameters(command, workflow);
            if (await command.ExecuteNonQueryAsync(cancellationToken) != 1)
            {
                throw new InvalidOperationException($"Workflow instance {workflow.Id} does not exist.");
            }
        }
        foreach (var subscription in subscriptions)
        {
            await InsertSubscriptionAsync(subscription, connection, transaction, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IEnumerable<string>> GetRunnableInstances(DateTime asAt, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT id FROM workflow.instances WHERE status = 0 AND next_execution IS NOT NULL AND next_execution <= @as_at ORDER BY next_execution LIMIT 1000", connection);
        command.Parameters.AddWithValue("as_at", Utc(asAt).Ticks);
        return await ReadIdsAsync(command, cancellationToken);
    }

    [Obsolete("Kept because IWorkflowRepository declares it; the engine itself does not call it.")]
    public async Task<IEnumerable<WorkflowInstance>> GetWorkflowInstances(WorkflowStatus? status, string type, DateTime? createdFrom, DateTime? createdTo, int skip, int take)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand($"""
            SELECT {WorkflowColumns} FROM workflow.instances
            WHERE (@status IS NULL OR status = @status) AND (@type IS NULL OR definition_id = @type)
              AND (@from IS NULL OR create_time >= @from) AND (@to IS NULL OR create_time <= @to)
            ORDER BY create_time, id OFFSET @skip LIMIT @take
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<int?>("status", NpgsqlDbType.Integer) { TypedValue = (int?)status });
        command.Parameters.Add(new NpgsqlParameter<string?>("type", NpgsqlDbType.Text) { TypedValue = type });
        command.Parameters.Add(new NpgsqlParameter<DateTime?>("from", NpgsqlDbType.TimestampTz) { TypedValue = createdFrom is null ? null : Utc(createdFrom.Value) });
        command.Parameters.Add(new NpgsqlParameter<DateTime?>("to", NpgsqlDbType.TimestampTz) { TypedValue = createdTo is null ? null : Utc(createdTo.Value) });
        command.Parameters.AddWithValue("skip", skip);
        command.Parameters.AddWithValue("take", take);
        return await ReadWorkflowsAsync(command, CancellationToken.None);
    }

    public async Task<WorkflowInstance> GetWorkflowInstance(string Id, CancellationToken cancellationToken = default)
    {
        var found = await GetWorkflowInstances([Id], cancellationToken);
        return found.SingleOrDefault() ?? throw new InvalidOperationException($"Workflow instance {Id} does not exist.");
    }

    public async Task<IEnumerable<WorkflowInstance>> GetWorkflowInstances(IEnumerable<string> ids, CancellationToken cancellationToken = default)
    {
        var guids = ids.Select(id => Guid.TryParse(id, out var guid) ? guid : Guid.Empty).Where(g => g != Guid.Empty).ToArray();
        if (guids.Length == 0)
        {
            return [];
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT {WorkflowColumns} FROM workflow.instances WHERE id = ANY(@ids)", connection);
        command.Parameters.AddWithValue("ids", guids);
        return await ReadWorkflowsAsync(command, cancellationToken);
    }

    // ---- subscriptions ----

    public async Task<string> CreateEventSubscription(EventSubscription subscription, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await InsertSubscriptionAsync(subscription, connection, null, cancellationToken);
        return subscription.Id;
    }

    public async Task<IEnumerable<EventSubscription>> GetSubscriptions(string eventName, string eventKey, DateTime asOf, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"""
            SELECT {SubscriptionColumns} FROM workflow.subscriptions
            WHERE event_name = @name AND event_key = @key AND subscribe_as_of <= @as_of ORDER BY subscribe_as_of, id
            """, connection);
        command.Parameters.AddWithValue("name", eventName);
        command.Parameters.AddWithValue("key", eventKey);
        command.Parameters.AddWithValue("as_of", Utc(asOf));
        return await ReadSubscriptionsAsync(command, cancellationToken);
    }

    public async Task TerminateSubscription(string eventSubscriptionId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("DELETE FROM workflow.subscriptions WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", Guid.Parse(eventSubscriptionId));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<EventSubscription> GetSubscription(string eventSubscriptionId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT {SubscriptionColumns} FROM workflow.subscriptions WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", Guid.Parse(eventSubscriptionId));
        return (await ReadSubscriptionsAsync(command, cancellationToken)).SingleOrDefault()!;
    }

    public async Task<EventSubscription> GetFirstOpenSubscription(string eventName, string eventKey, DateTime asOf, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"""
            SELECT {SubscriptionColumns} FROM workflow.subscriptions
            WHERE event_name = @name AND event_key = @key AND subscribe_as_of <= @as_of AND external_token IS NULL
            ORDER BY subscribe_as_of, id LIMIT 1
            """, connection);
        command.Parameters.AddWithValue("name", eventName);
        command.Parameters.AddWithValue("key", eventKey);
        command.Parameters.AddWithValue("as_of", Utc(asOf));
        return (await ReadSubscriptionsAsync(command, cancellationToken)).SingleOrDefault()!;
    }

    /// <summary>An external worker claims the subscription; only one claim can hold it (the token must be free or the same).</summary>
    public async Task<bool> SetSubscriptionToken(string eventSubscriptionId, string token, string workerId, DateTime expiry, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            UPDATE workflow.subscriptions SET external_token = @token, external_worker_id = @worker, external_token_expiry = @expiry
            WHERE id = @id AND (external_token IS NULL OR external_token = @token)
            """, connection);
        command.Parameters.AddWithValue("id", Guid.Parse(eventSubscriptionId));
        command.Parameters.AddWithValue("token", token);
        command.Parameters.AddWithValue("worker", workerId);
        command.Parameters.AddWithValue("expiry", Utc(expiry));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task ClearSubscriptionToken(string eventSubscriptionId, string token, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            UPDATE workflow.subscriptions SET external_token = NULL, external_worker_id = NULL, external_token_expiry = NULL
            WHERE id = @id AND external_token = @token
            """, connection);
        command.Parameters.AddWithValue("id", Guid.Parse(eventSubscriptionId));
        command.Parameters.AddWithValue("token", token);
        if (await command.ExecuteNonQueryAsync(cancellationToken) != 1)
        {
            throw new InvalidOperationException($"Subscription {eventSubscriptionId} is not held with that token.");
        }
    }

    // ---- events ----

    public async Task<string> CreateEvent(Event newEvent, CancellationToken cancellationToken = default)
    {
        newEvent.Id = Guid.NewGuid().ToString();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            INSERT INTO workflow.events (id, event_name, event_key, event_data, event_time, is_processed)
            VALUES (@id, @name, @key, @data, @time, @processed)
            """, connection);
        command.Parameters.AddWithValue("id", Guid.Parse(newEvent.Id));
        command.Parameters.AddWithValue("name", newEvent.EventName);
        command.Parameters.AddWithValue("key", newEvent.EventKey);
        command.Parameters.Add(Text("data", WorkflowJson.SerializeObject(newEvent.EventData)));
        command.Parameters.AddWithValue("time", Utc(newEvent.EventTime));
        command.Parameters.AddWithValue("processed", newEvent.IsProcessed);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return newEvent.Id;
    }

    public async Task<Event> GetEvent(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT id, event_name, event_key, event_data, event_time, is_processed FROM workflow.events WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", Guid.Parse(id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null!;
        }
        return new Event
        {
            Id = reader.GetGuid(0).ToString(),
            EventName = reader.GetString(1),
            EventKey = reader.GetString(2),
            EventData = WorkflowJson.DeserializeObject(reader.IsDBNull(3) ? null : reader.GetString(3)),
            EventTime = reader.GetFieldValue<DateTime>(4),
            IsProcessed = reader.GetBoolean(5),
        };
    }

    public async Task<IEnumerable<string>> GetRunnableEvents(DateTime asAt, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT id FROM workflow.events WHERE NOT is_processed AND event_time <= @as_at ORDER BY event_time LIMIT 1000", connection);
        command.Parameters.AddWithValue("as_at", Utc(asAt));
        return await ReadIdsAsync(command, cancellationToken);
    }

    /// <summary>Events at or after <paramref name="asOf"/>: how the engine delivers an event published before its subscription existed.</summary>
    public async Task<IEnumerable<string>> GetEvents(string eventName, string eventKey, DateTime asOf, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT id FROM workflow.events WHERE event_name = @name AND event_key = @key AND event_time >= @as_of ORDER BY event_time, id", connection);
        command.Parameters.AddWithValue("name", eventName);
        command.Parameters.AddWithValue("key", eventKey);
        command.Parameters.AddWithValue("as_of", Utc(asOf));
        return await ReadIdsAsync(command, cancellationToken);
    }

    public Task MarkEventProcessed(string id, CancellationToken cancellationToken = default) => SetProcessedAsync(id, true, cancellationToken);

    public Task MarkEventUnprocessed(string id, CancellationToken cancellationToken = default) => SetProcessedAsync(id, false, cancellationToken);

    private async Task SetProcessedAsync(string id, bool processed, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("UPDATE workflow.events SET is_processed = @processed WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", Guid.Parse(id));
        command.Parameters.AddWithValue("processed", processed);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // ---- errors ----

    public async Task PersistErrors(IEnumerable<ExecutionError> errors, CancellationToken cancellationToken = default)
    {
        var list = errors.ToList();
        if (list.Count == 0)
        {
            return;
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        foreach (var error in list)
        {
            var command = new NpgsqlBatchCommand(
                "INSERT INTO workflow.execution_errors (workflow_id, execution_pointer_id, error_time, message) VALUES ($1, $2, $3, $4)");
            command.Parameters.Add(new NpgsqlParameter { Value = error.WorkflowId ?? "" });
            command.Parameters.Add(new NpgsqlParameter { Value = error.ExecutionPointerId ?? "" });
            command.Parameters.Add(new NpgsqlParameter { Value = Utc(error.ErrorTime) });
            command.Parameters.Add(new NpgsqlParameter { Value = error.Message ?? "" });
            batch.BatchCommands.Add(command);
        }
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    // ---- scheduled commands ----

    /// <summary>Idempotent on (command, data): the engine schedules the same wake-up more than once.</summary>
    public async Task ScheduleCommand(ScheduledCommand command)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var insert = new NpgsqlCommand("""
            INSERT INTO workflow.scheduled_commands (command_name, data, execute_time) VALUES (@name, @data, @time)
            ON CONFLICT (command_name, data) DO NOTHING
            """, connection);
        insert.Parameters.AddWithValue("name", command.CommandName);
        insert.Parameters.AddWithValue("data", command.Data);
        insert.Parameters.AddWithValue("time", command.ExecuteTime);
        await insert.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Runs each due command, then deletes in one statement those whose action succeeded; a failed one stays for the
    /// next poll. (The engine re-schedules every runnable instance on every poll, so this runs up to 1,000 commands a
    /// second under a backlog: one round trip per command would cost the database more than the work itself.)
    /// </summary>
    public async Task ProcessCommands(DateTimeOffset asOf, Func<ScheduledCommand, Task> action, CancellationToken cancellationToken = default)
    {
        var due = new List<ScheduledCommand>();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var select = new NpgsqlCommand(
            "SELECT command_name, data, execute_time FROM workflow.scheduled_commands WHERE execute_time < @as_of ORDER BY execute_time LIMIT 1000", connection))
        {
            select.Parameters.AddWithValue("as_of", asOf.UtcDateTime.Ticks);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                due.Add(new ScheduledCommand { CommandName = reader.GetString(0), Data = reader.GetString(1), ExecuteTime = reader.GetInt64(2) });
            }
        }
        var done = new List<ScheduledCommand>(due.Count);
        foreach (var command in due)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await action(command);
                done.Add(command);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Left in the table: the next poll runs it again.
            }
        }
        if (done.Count == 0)
        {
            return;
        }
        await using var delete = new NpgsqlCommand("""
            DELETE FROM workflow.scheduled_commands c
            USING unnest(@names, @data, @times) AS d(command_name, data, execute_time)
            WHERE c.command_name = d.command_name AND c.data = d.data AND c.execute_time = d.execute_time
            """, connection);
        delete.Parameters.AddWithValue("names", done.Select(c => c.CommandName).ToArray());
        delete.Parameters.AddWithValue("data", done.Select(c => c.Data).ToArray());
        delete.Parameters.AddWithValue("times", done.Select(c => c.ExecuteTime).ToArray());
        await delete.ExecuteNonQueryAsync(cancellationToken);
    }

    // ---- mapping ----

    private const string WorkflowColumns =
        "id, definition_id, version, description, reference, status, next_execution, create_time, complete_time, data, execution_pointers";

    private const string SubscriptionColumns =
        "id, workflow_id, step_id, execution_pointer_id, event_name, event_key, subscribe_as_of, subscription_data, external_token, external_worker_id, external_token_expiry";

    private static void AddWorkflowParameters(NpgsqlCommand command, WorkflowInstance workflow)
    {
        command.Parameters.AddWithValue("id", Guid.Parse(workflow.Id));
        command.Parameters.AddWithValue("definition_id", workflow.WorkflowDefinitionId);
        command.Parameters.AddWithValue("version", workflow.Version);
        command.Parameters.Add(Text("description", workflow.Description));
        command.Parameters.Add(Text("reference", workflow.Reference));
        command.Parameters.AddWithValue("status", (int)workflow.Status);
        command.Parameters.Add(new NpgsqlParameter<long?>("next_execution", NpgsqlDbType.Bigint) { TypedValue = workflow.NextExecution });
        command.Parameters.AddWithValue("create_time", Utc(workflow.CreateTime));
        command.Parameters.Add(new NpgsqlParameter<DateTime?>("complete_time", NpgsqlDbType.TimestampTz)
        {
            TypedValue = workflow.CompleteTime is null ? null : Utc(workflow.CompleteTime.Value),
        });
        command.Parameters.Add(Text("data", WorkflowJson.SerializeObject(workflow.Data)));
        command.Parameters.Add(Text("execution_pointers", WorkflowJson.Serialize(workflow.ExecutionPointers.ToList())));
    }

    private static async Task<List<WorkflowInstance>> ReadWorkflowsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var result = new List<WorkflowInstance>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var pointers = new ExecutionPointerCollection();
            foreach (var pointer in WorkflowJson.Deserialize<List<ExecutionPointer>>(reader.GetString(10)))
            {
                pointers.Add(pointer);
            }
            result.Add(new WorkflowInstance
            {
                Id = reader.GetGuid(0).ToString(),
                WorkflowDefinitionId = reader.GetString(1),
                Version = reader.GetInt32(2),
                Description = reader.IsDBNull(3) ? null : reader.GetString(3),
                Reference = reader.IsDBNull(4) ? null : reader.GetString(4),
                Status = (WorkflowStatus)reader.GetInt32(5),
                NextExecution = reader.IsDBNull(6) ? null : reader.GetInt64(6),
                CreateTime = reader.GetFieldValue<DateTime>(7),
                CompleteTime = reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTime>(8),
                Data = WorkflowJson.DeserializeObject(reader.IsDBNull(9) ? null : reader.GetString(9)),
                ExecutionPointers = pointers,
            });
        }
        return result;
    }

    private static async Task InsertSubscriptionAsync(EventSubscription subscription, NpgsqlConnection connection, NpgsqlTransaction? transaction,
        CancellationToken cancellationToken)
    {
        subscription.Id = Guid.NewGuid().ToString();
        await using var command = new NpgsqlCommand($"""
            INSERT INTO workflow.subscriptions ({SubscriptionColumns})
            VALUES (@id, @workflow_id, @step_id, @pointer_id, @name, @key, @as_of, @data, @token, @worker, @expiry)
            """, connection, transaction);
        command.Parameters.AddWithValue("id", Guid.Parse(subscription.Id));
        command.Parameters.AddWithValue("workflow_id", Guid.Parse(subscription.WorkflowId));
        command.Parameters.AddWithValue("step_id", subscription.StepId);
        command.Parameters.AddWithValue("pointer_id", subscription.ExecutionPointerId);
        command.Parameters.AddWithValue("name", subscription.EventName);
        command.Parameters.AddWithValue("key", subscription.EventKey);
        command.Parameters.AddWithValue("as_of", Utc(subscription.SubscribeAsOf));
        command.Parameters.Add(Text("data", WorkflowJson.SerializeObject(subscription.SubscriptionData)));
        command.Parameters.Add(Text("token", subscription.ExternalToken));
        command.Parameters.Add(Text("worker", subscription.ExternalWorkerId));
        command.Parameters.Add(new NpgsqlParameter<DateTime?>("expiry", NpgsqlDbType.TimestampTz)
        {
            TypedValue = subscription.ExternalTokenExpiry is null ? null : Utc(subscription.ExternalTokenExpiry.Value),
        });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<List<EventSubscription>> ReadSubscriptionsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var result = new List<EventSubscription>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new EventSubscription
            {
                Id = reader.GetGuid(0).ToString(),
                WorkflowId = reader.GetGuid(1).ToString(),
                StepId = reader.GetInt32(2),
                ExecutionPointerId = reader.GetString(3),
                EventName = reader.GetString(4),
                EventKey = reader.GetString(5),
                SubscribeAsOf = reader.GetFieldValue<DateTime>(6),
                SubscriptionData = WorkflowJson.DeserializeObject(reader.IsDBNull(7) ? null : reader.GetString(7)),
                ExternalToken = reader.IsDBNull(8) ? null : reader.GetString(8),
                ExternalWorkerId = reader.IsDBNull(9) ? null : reader.GetString(9),
                ExternalTokenExpiry = reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTime>(10),
            });
        }
        return result;
    }

    private static async Task<List<string>> ReadIdsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetGuid(0).ToString());
        }
        return ids;
    }

    private static NpgsqlParameter<string?> Text(string name, string? value) => new(name, NpgsqlDbType.Text) { TypedValue = value };

    private static NpgsqlParameter<string?[]> TextArray(string name, IEnumerable<string?> values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = values.ToArray() };

    /// <summary>The engine hands over DateTimes of mixed Kind; an Unspecified one is taken as UTC (the engine's clock is UTC).</summary>
    internal static DateTime Utc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };
}
