using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using RecordsRequests.Features.Workflow;
using RecordsRequests.Features.Workflow.Engine;
using RecordsRequests.IntegrationTests.Infrastructure;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace RecordsRequests.IntegrationTests.Workflow;

/// <summary>Two engine hosts on one database (as two app instances would be) never run the same step twice.</summary>
[Collection(Lanes.Engine)]
public class TwoHostTests(TestDatabase database) : IAsyncLifetime
{
    /// <summary>Each test starts from the migrated database: what an earlier test left is gone.</summary>
    public Task InitializeAsync() => database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task AdvisoryLock_HeldByOneNode_IsRefusedToAnotherUntilReleased()
    {
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        var nodeA = new PostgresLockProvider(dataSource, NullLogger<PostgresLockProvider>.Instance);
        var nodeB = new PostgresLockProvider(dataSource, NullLogger<PostgresLockProvider>.Instance);
        var name = "workflow-" + Guid.NewGuid();

        Assert.True(await nodeA.AcquireLock(name, CancellationToken.None));
        Assert.False(await nodeB.AcquireLock(name, CancellationToken.None));
        await nodeA.ReleaseLock(name);
        Assert.True(await nodeB.AcquireLock(name, CancellationToken.None));
        await nodeB.Stop();
        Assert.True(await nodeA.AcquireLock(name, CancellationToken.None));
        await nodeA.Stop();
    }

    [Fact]
    public async Task TwoHosts_OnOneDatabase_RunEachStepOnce()
    {
        CountingStep.ConnectionString = database.ConnectionString;
        await database.ScalarAsync("CREATE TABLE IF NOT EXISTS test_step_runs (pointer_id text NOT NULL, step_id int NOT NULL); SELECT 0");
        var hosts = new List<(ServiceProvider Services, IWorkflowHost Host)>();
        for (var i = 0; i < 2; i++)
        {
            var services = database.BuildServices();
            services.ApplyEngineOptions();
            var host = services.GetRequiredService<IWorkflowHost>();
            host.RegisterWorkflow<CountingWorkflow, LifecycleData>();
            await host.StartAsync(CancellationToken.None);
            hosts.Add((services, host));
        }
        try
        {
            var ids = new List<string>();
            for (var i = 0; i < 40; i++)
            {
                // Alternate the node that starts each workflow; both nodes' pollers then compete for every step.
                ids.Add(await hosts[i % 2].Host.StartWorkflow(CountingWorkflow.Id, new LifecycleData { RequestId = Guid.NewGuid() }));
            }
            var store = hosts[0].Services.GetRequiredService<IPersistenceProvider>();
            var deadline = DateTime.UtcNow.AddSeconds(120);
            while ((await store.GetWorkflowInstances(ids)).Any(w => w.Status != WorkflowStatus.Complete))
            {
                Assert.True(DateTime.UtcNow < deadline, "The workflows did not complete on two hosts.");
                await Task.Delay(200);
            }

            Assert.Equal(40 * 3, await database.ScalarAsync("SELECT count(DISTINCT pointer_id) FROM test_step_runs"));
            Assert.Equal(0, await database.ScalarAsync("SELECT count(*) FROM (SELECT pointer_id FROM test_step_runs GROUP BY pointer_id HAVING count(*) > 1) twice"));
        }
        finally
        {
            foreach (var (services, host) in hosts)
            {
                await host.StopAsync(CancellationToken.None);
                await services.DisposeAsync();
            }
        }
    }

    public sealed class CountingWorkflow : IWorkflow<LifecycleData>
    {
        public const string Id = "two-host-counting";
        string IWorkflow<LifecycleData>.Id => Id;
        public int Version => 1;

        public void Build(IWorkflowBuilder<LifecycleData> builder) =>
            builder.StartWith<CountingStep>().Then<CountingStep>().Then<CountingStep>();
    }

    /// <summary>Records each run of a pointer; slow enough that two nodes would overlap if both took the same workflow.</summary>
    public sealed class CountingStep : StepBodyAsync
    {
        public static string ConnectionString { get; set; } = "";

        public override async Task<ExecutionResult> RunAsync(IStepExecutionContext context)
        {
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("INSERT INTO test_step_runs (pointer_id, step_id) VALUES ($1, $2)", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = context.ExecutionPointer.Id });
            command.Parameters.Add(new NpgsqlParameter { Value = context.Step.Id });
            await command.ExecuteNonQueryAsync();
            await Task.Delay(25);
            return ExecutionResult.Next();
        }
    }
}
