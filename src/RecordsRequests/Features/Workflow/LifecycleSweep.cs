using Npgsql;
using WorkflowCore.Interface;

namespace RecordsRequests.Features.Workflow;

/// <summary>
/// Repairs what a crash can leave behind: a request committed but its lifecycle never started (the process died
/// between the two), and a withdrawn request whose workflow was not terminated. Idempotent; runs on an interval.
/// Only a request still "received" gets a lifecycle here: the first step acknowledges it, so starting one for a request
/// already worked without a workflow (imported from another system, or synthetic load data) would re-acknowledge it
/// and try to move its status backwards.
/// </summary>
public sealed class LifecycleSweep(RequestLifecycle lifecycle, IWorkflowController controller, NpgsqlDataSource dataSource)
{
    public sealed record Result(int Started, int Terminated);

    public async Task<Result> RunAsync(CancellationToken cancellationToken)
    {
        var missing = await IdsAsync<Guid>("""
            SELECT r.id FROM requests r
            WHERE r.status = 'Received'
              AND NOT EXISTS (SELECT 1 FROM workflow.instances i WHERE i.definition_id = @definition AND i.reference = r.id::text)
            ORDER BY r.received_at LIMIT 500
            """, cancellationToken);
        foreach (var requestId in missing)
        {
            await lifecycle.StartAsync(requestId, cancellationToken);
        }
        var orphans = await IdsAsync<Guid>("""
            SELECT i.id FROM workflow.instances i JOIN requests r ON i.reference = r.id::text
            WHERE i.definition_id = @definition AND i.status = 0 AND r.status = 'Withdrawn'
            """, cancellationToken);
        var terminated = 0;
        foreach (var instanceId in orphans)
        {
            terminated += await controller.TerminateWorkflow(instanceId.ToString()) ? 1 : 0;
        }
        return new Result(missing.Count, terminated);
    }

    private async Task<List<T>> IdsAsync<T>(string sql, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("definition", RequestLifecycle.DefinitionId);
        var ids = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetFieldValue<T>(0));
        }
        return ids;
    }
}
