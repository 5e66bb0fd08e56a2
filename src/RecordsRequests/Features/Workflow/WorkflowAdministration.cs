using Npgsql;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace RecordsRequests.Features.Workflow;

/// <summary>Instances that are failing (a step keeps throwing and is being retried, or the instance was suspended), and the two remedies.</summary>
public sealed class WorkflowAdministration(NpgsqlDataSource dataSource, IPersistenceProvider store, IWorkflowController controller, TimeProvider clock)
{
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
