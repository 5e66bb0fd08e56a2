using Npgsql;
using RecordsRequests.Features.Requests;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace RecordsRequests.Features.Workflow;

/// <summary>Instances that are failing (a step keeps throwing and is being retried, or the instance was suspended), and the two remedies.</summary>
public sealed class WorkflowAdministration(NpgsqlDataSource dataSource, IPersistenceProvider store, IWorkflowController controller, TimeProvider clock,
    WorkflowDefinitions definitions)
{
    /// <summary>A request whose status says one thing and whose workflow another (something changed it outside the workflow).</summary>
    public sealed record Disagreement(string TrackingNumber, RequestStatus Status, string Workflow);

    /// <summary>How many instances one check reads; a district has far fewer open requests.</summary>
    public const int CheckLimit = 20_000;

    /// <summary>
    /// Every request whose status disagrees with its workflow: a running workflow waiting at a node that expects another
    /// status (<see cref="LifecycleWords.Agrees"/>), a finished one on an open request, or an ended one on a request
    /// that was neither closed nor withdrawn. Requests between two steps (waiting for nothing) are not judged.
    /// </summary>
    public async Task<IReadOnlyList<Disagreement>> ListDisagreeingAsync(CancellationToken cancellationToken)
    {
        var rows = new List<(string InstanceId, string Tracking, RequestStatus Status, int WorkflowStatus)>();
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var command = new NpgsqlCommand("""
            SELECT i.id, r.tracking_number, r.status, i.status
            FROM workflow.instances i JOIN requests r ON r.id::text = i.reference
            WHERE i.definition_id = @definition
            ORDER BY r.tracking_number LIMIT @limit
            """, connection))
        {
            command.Parameters.AddWithValue("definition", RequestLifecycle.DefinitionId);
            command.Parameters.AddWithValue("limit", CheckLimit);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add((reader.GetGuid(0).ToString(), reader.GetString(1), Enum.Parse<RequestStatus>(reader.GetString(2)), reader.GetInt32(3)));
            }
        }
        var result = new List<Disagreement>();
        foreach (var row in rows.Where(r => r.WorkflowStatus != (int)WorkflowStatus.Runnable))
        {
            var ended = (WorkflowStatus)row.WorkflowStatus;
            var agrees = ended switch
            {
                WorkflowStatus.Complete => row.Status is RequestStatus.Closed or RequestStatus.NotARequest or RequestStatus.Withdrawn,
                WorkflowStatus.Terminated => !row.Status.IsOpen(),
                _ => true,
            };
            if (!agrees)
            {
                result.Add(new Disagreement(row.Tracking, row.Status, ended == WorkflowStatus.Complete ? "finished" : "ended by an administrator"));
            }
        }
        var running = rows.Where(r => r.WorkflowStatus == (int)WorkflowStatus.Runnable).ToList();
        foreach (var batch in running.Chunk(500))
        {
            var instances = await store.GetWorkflowInstances(batch.Select(b => b.InstanceId), cancellationToken);
            var byId = instances.ToDictionary(i => i.Id);
            foreach (var row in batch)
            {
                if (!byId.TryGetValue(row.InstanceId, out var instance))
                {
                    continue;
                }
                var definition = definitions.Get(instance.WorkflowDefinitionId, instance.Version);
                foreach (var pointer in instance.ExecutionPointers.Where(p => p.Status == PointerStatus.WaitingForEvent))
                {
                    if (DefinitionLoader.NodeOf(definition, pointer.StepId) is { } node && !LifecycleWords.Agrees(node, row.Status))
                    {
                        result.Add(new Disagreement(row.Tracking, row.Status, $"waits at “{LifecycleWords.Node(node.Id)}”"));
                    }
                }
            }
        }
        return result.OrderBy(d => d.TrackingNumber, StringComparer.Ordinal).ToList();
    }

    public sealed record FailingInstance(string Id, string? Reference, string? TrackingNumber, WorkflowStatus Status, string? Step, int Retries,
        DateTime LastErrorAt, string LastError, int ErrorCount);

    public async Task<IReadOnlyList<FailingInstance>> ListFailingAsync(CancellationToken cancellationToken)
    {
        var candidates = new List<(string Id, string? TrackingNumber, DateTime At, string Message, int Count)>();
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var command = new NpgsqlCommand("""
            SELECT i.id, r.tracking_number, max(e.error_time), (array_agg(e.message ORDER BY e.error_time DESC))[1], count(*)::int
            FROM workflow.instances i
            JOIN workflow.execution_errors e ON e.workflow_id = i.id::text
            LEFT JOIN requests r ON r.id::text = i.reference
            WHERE i.status IN (0, 1)
            GROUP BY i.id, r.tracking_number
            ORDER BY max(e.error_time) DESC LIMIT 200
            """, connection))
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                candidates.Add((reader.GetGuid(0).ToString(), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetFieldValue<DateTime>(2),
                    reader.GetString(3), reader.GetInt32(4)));
            }
        }
        var instances = (await store.GetWorkflowInstances(candidates.Select(c => c.Id), cancellationToken)).ToDictionary(i => i.Id);
        var result = new List<FailingInstance>();
        foreach (var candidate in candidates)
        {
            if (!instances.TryGetValue(candidate.Id, out var instance))
            {
                continue;
            }
            // An instance that failed once and then recovered has no pointer left in retry: it is not listed.
            var failing = instance.ExecutionPointers.FirstOrDefault(p => p.EndTime is null && (p.RetryCount > 0 || p.Status == PointerStatus.Failed));
            if (failing is null && instance.Status != WorkflowStatus.Suspended)
            {
                continue;
            }
            result.Add(new FailingInstance(instance.Id, instance.Reference, candidate.TrackingNumber, instance.Status, failing?.StepName,
                failing?.RetryCount ?? 0, candidate.At, candidate.Message, candidate.Count));
        }
        return result;
    }

    /// <summary>Runs the failing step again at the next poll instead of after the retry interval (and resumes a suspended instance).</summary>
    public async Task<bool> RetryAsync(string instanceId, CancellationToken cancellationToken)
    {
        // The id comes from a form: a malformed one names no instance (it is not a server error).
        if (!Guid.TryParse(instanceId, out var id))
        {
            return false;
        }
        var resumed = await controller.ResumeWorkflow(instanceId);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("UPDATE workflow.instances SET next_execution = @now WHERE id = @id AND status = 0", connection);
        command.Parameters.AddWithValue("now", clock.GetUtcNow().UtcDateTime.Ticks);
        command.Parameters.AddWithValue("id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1 || resumed;
    }

    public async Task<bool> TerminateAsync(string instanceId) =>
        Guid.TryParse(instanceId, out _) && await controller.TerminateWorkflow(instanceId);
}
