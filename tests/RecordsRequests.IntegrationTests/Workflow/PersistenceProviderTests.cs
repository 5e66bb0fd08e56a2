using Newtonsoft.Json;
using Npgsql;
using RecordsRequests.Features.Workflow;
using RecordsRequests.Features.Workflow.Engine;
using RecordsRequests.IntegrationTests.Infrastructure;
using WorkflowCore.Models;

namespace RecordsRequests.IntegrationTests.Workflow;

/// <summary>
/// The contract the engine relies on (stack-probes §1), against real PostgreSQL: the facts of WorkflowCore's own
/// BasePersistenceFixture plus every behaviour its consumers and pollers depend on.
/// </summary>
[Collection(Lanes.Engine)]
public class PersistenceProviderTests(TestDatabase database) : IAsyncLifetime
{
    /// <summary>Each test starts from the migrated database: what an earlier test left is gone.</summary>
    public Task InitializeAsync() => database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(database.ConnectionString);
    private PostgresPersistenceProvider Subject => new(_dataSource);

    private static WorkflowInstance NewInstance(string? reference = null)
    {
        var instance = new WorkflowInstance
        {
            WorkflowDefinitionId = "contract-test",
            Version = 3,
            Description = "a test instance",
            Reference = reference,
            Status = WorkflowStatus.Runnable,
            NextExecution = 0,
            CreateTime = new DateTime(2026, 11, 29, 1, 2, 3, DateTimeKind.Utc),
            Data = new LifecycleData { RequestId = Guid.NewGuid() },
        };
        instance.ExecutionPointers.Add(new ExecutionPointer
        {
            Id = Guid.NewGuid().ToString(),
            StepId = 0,
            Active = true,
            StepName = "triage",
            Status = PointerStatus.WaitingForEvent,
            EventName = "TriageDecided",
            EventKey = "k",
            EventData = new LifecycleDecision { Outcome = "clarify", Actor = "officer", Comments = "which year?" },
            Outcome = "done",
            StartTime = new DateTime(2026, 11, 29, 1, 2, 4, DateTimeKind.Utc),
            ExtensionAttributes = new Dictionary<string, object> { ["attr"] = "value" },
            Scope = new List<string> { "4", "3", "2", "1" },
            Children = ["c1"],
            PersistenceData = new ControlPersistenceData { ChildrenActive = true },
        });
        return instance;
    }

    private static void AssertSame(WorkflowInstance expected, WorkflowInstance actual) =>
        // Serializing both through the same type-preserving JSON compares every member, including $type of object members.
        Assert.Equal(WorkflowJson.Serialize(expected), WorkflowJson.Serialize(actual));

    [Fact]
    public async Task CreateNewWorkflow_AssignsAnId()
    {
        var instance = NewInstance();
        var id = await Subject.CreateNewWorkflow(instance);
        Assert.False(string.IsNullOrEmpty(id));
        Assert.Equal(id, instance.Id);
    }

    [Fact]
    public async Task GetWorkflowInstance_RoundTripsEverythingIncludingScopeOrderAndTypes()
    {
        var instance = NewInstance();
        await Subject.CreateNewWorkflow(instance);

        var loaded = await Subject.GetWorkflowInstance(instance.Id);

        AssertSame(instance, loaded);
        Assert.IsType<LifecycleData>(loaded.Data);
        var pointer = loaded.ExecutionPointers.Single();
        Assert.Equal(["4", "3", "2", "1"], pointer.Scope);
        Assert.IsType<LifecycleDecision>(pointer.EventData);
        Assert.IsType<ControlPersistenceData>(pointer.PersistenceData);
        Assert.Equal(DateTimeKind.Utc, loaded.CreateTime.Kind);
    }

    [Fact]
    public async Task GetWorkflowInstances_ByIds_ReturnsExactlyThose()
    {
        var a = NewInstance();
        var b = NewInstance();
        var c = NewInstance();
        foreach (var i in new[] { a, b, c })
        {
            await Subject.CreateNewWorkflow(i);
        }

        var found = (await Subject.GetWorkflowInstances([a.Id, c.Id])).ToList();

        Assert.Equal(new[] { a.Id, c.Id }.Order(), found.Select(f => f.Id).Order());
    }

    [Fact]
    public async Task PersistWorkflow_SavesAnAddedPointerAndNewNextExecution()
    {
        var instance = NewInstance();
        await Subject.CreateNewWorkflow(instance);
        instance.NextExecution = 12345;
        instance.ExecutionPointers.Add(new ExecutionPointer { Id = Guid.NewGuid().ToString(), StepId = 1, Active = true, Scope = new List<string>() });

        await Subject.PersistWorkflow(instance);

        AssertSame(instance, await Subject.GetWorkflowInstance(instance.Id));
    }

    [Fact]
    public async Task PersistWorkflow_WithSubscriptions_SavesBothAndTheSubscriptionsAreFound()
    {
        var instance = NewInstance();
        await Subject.CreateNewWorkflow(instance);
        var key = Guid.NewGuid().ToString();
        var subscriptions = instance.ExecutionPointers.Select(p => new EventSubscription
        {
            WorkflowId = instance.Id,
            StepId = p.StepId,
            ExecutionPointerId = p.Id,
            EventName = "TriageDecided",
            EventKey = key,
            SubscribeAsOf = DateTime.UtcNow.AddSeconds(-1),
            SubscriptionData = "data",
        }).ToList();
        instance.NextExecution = null;

        await Subject.PersistWorkflow(instance, subscriptions);

        var found = (await Subject.GetSubscriptions("TriageDecided", key, DateTime.UtcNow)).ToList();
        Assert.Equal(instance.ExecutionPointers.Count, found.Count);
        Assert.All(found, s => Assert.False(string.IsNullOrEmpty(s.Id)));
        Assert.Equal("data", found[0].SubscriptionData);
        Assert.Null((await Subject.GetWorkflowInstance(instance.Id)).NextExecution);
    }

    [Fact]
    public async Task PersistWorkflow_WhenASubscriptionFails_SavesNeitherWorkflowNorSubscriptions()
    {
        var instance = NewInstance();
        await Subject.CreateNewWorkflow(instance);
        instance.Description = "changed";
        var key = Guid.NewGuid().ToString();
        var good = new EventSubscription { WorkflowId = instance.Id, ExecutionPointerId = "p", EventName = "E", EventKey = key, SubscribeAsOf = DateTime.UtcNow };
        // Not a workflow id the table accepts (uuid): the second insert fails after the update and the first insert ran.
        var bad = new EventSubscription { WorkflowId = "not-a-guid", ExecutionPointerId = "p", EventName = "E", EventKey = key, SubscribeAsOf = DateTime.UtcNow };

        await Assert.ThrowsAnyAsync<Exception>(() => Subject.PersistWorkflow(instance, [good, bad]));

        Assert.Equal("a test instance", (await Subject.GetWorkflowInstance(instance.Id)).Description);
        Assert.Empty(await Subject.GetSubscriptions("E", key, DateTime.UtcNow));
    }

    [Fact]
    public async Task ConcurrentPersistWorkflow_ThirtyAtOnce_NeverShareAConnection()
    {
        var tasks = Enumerable.Range(0, 30).Select(async _ =>
        {
            var instance = NewInstance();
            await Subject.CreateNewWorkflow(instance);
            instance.NextExecution = 1;
            await Subject.PersistWorkflow(instance);
            return instance.Id;
        });

        var ids = await Task.WhenAll(tasks);

        Assert.Equal(30, ids.Distinct().Count());
    }

    [Fact]
    public async Task GetRunnableInstances_ReturnsOnlyRunnableAndDue()
    {
        var now = DateTime.UtcNow;
        var due = NewInstance();
        due.NextExecution = now.AddSeconds(-1).Ticks;
        var later = NewInstance();
        later.NextExecution = now.AddHours(1).Ticks;
        var parked = NewInstance();
        parked.NextExecution = null;
        var complete = NewInstance();
        complete.Status = WorkflowStatus.Complete;
        complete.NextExecution = now.AddSeconds(-1).Ticks;
        var suspended = NewInstance();
        suspended.Status = WorkflowStatus.Suspended;
        suspended.NextExecution = 0;
        var terminated = NewInstance();
        terminated.Status = WorkflowStatus.Terminated;
        terminated.NextExecution = 0;
        foreach (var i in new[] { due, later, parked, complete, suspended, terminated })
        {
            await Subject.CreateNewWorkflow(i);
        }

        var runnable = (await Subject.GetRunnableInstances(now)).ToHashSet();

        Assert.Contains(due.Id, runnable);
        Assert.DoesNotContain(later.Id, runnable);
        Assert.DoesNotContain(parked.Id, runnable);
        Assert.DoesNotContain(complete.Id, runnable);
        Assert.DoesNotContain(suspended.Id, runnable);
        Assert.DoesNotContain(terminated.Id, runnable);
    }

    [Fact]
    public async Task Subscriptions_MatchAsOf_TerminateDeletes_FirstOpenSkipsTokenHeld()
    {
        var key = Guid.NewGuid().ToString();
        var now = DateTime.UtcNow;
        var early = new EventSubscription { WorkflowId = Guid.NewGuid().ToString(), ExecutionPointerId = "p1", EventName = "Ev", EventKey = key, SubscribeAsOf = now.AddMinutes(-2) };
        var late = new EventSubscription { WorkflowId = Guid.NewGuid().ToString(), ExecutionPointerId = "p2", EventName = "Ev", EventKey = key, SubscribeAsOf = now.AddMinutes(5) };
        var earlyId = await Subject.CreateEventSubscription(early);
        await Subject.CreateEventSubscription(late);

        Assert.Equal([earlyId], (await Subject.GetSubscriptions("Ev", key, now)).Select(s => s.Id));
        Assert.Equal(earlyId, (await Subject.GetSubscription(earlyId)).Id);
        Assert.Equal(earlyId, (await Subject.GetFirstOpenSubscription("Ev", key, now)).Id);

        Assert.True(await Subject.SetSubscriptionToken(earlyId, "token-1", "worker-1", now.AddMinutes(1)));
        Assert.False(await Subject.SetSubscriptionToken(earlyId, "token-2", "worker-2", now.AddMinutes(1)));
        Assert.Null(await Subject.GetFirstOpenSubscription("Ev", key, now));
        var held = await Subject.GetSubscription(earlyId);
        Assert.Equal(("token-1", "worker-1"), (held.ExternalToken, held.ExternalWorkerId));

        await Assert.ThrowsAsync<InvalidOperationException>(() => Subject.ClearSubscriptionToken(earlyId, "wrong-token"));
        await Subject.ClearSubscriptionToken(earlyId, "token-1");
        Assert.Equal(earlyId, (await Subject.GetFirstOpenSubscription("Ev", key, now)).Id);

        await Subject.TerminateSubscription(earlyId);
        Assert.Null(await Subject.GetSubscription(earlyId));
        Assert.Empty(await Subject.GetSubscriptions("Ev", key, now));
    }

    [Fact]
    public async Task Events_RunnableUntilProcessed_AndFoundFromAsOfForLateSubscriptions()
    {
        var key = Guid.NewGuid().ToString();
        var now = DateTime.UtcNow;
        var published = new Event
        {
            EventName = "ClarificationReceived", EventKey = key, EventTime = now.AddSeconds(-30),
            EventData = new LifecycleDecision { Outcome = "replied", Actor = "requester" },
        };
        var id = await Subject.CreateEvent(published);
        Assert.Equal(id, published.Id);

        Assert.Contains(id, await Subject.GetRunnableEvents(now));
        var loaded = await Subject.GetEvent(id);
        Assert.Equal("replied", Assert.IsType<LifecycleDecision>(loaded.EventData).Outcome);
        Assert.False(loaded.IsProcessed);

        await Subject.MarkEventProcessed(id);
        Assert.DoesNotContain(id, await Subject.GetRunnableEvents(now));
        Assert.True((await Subject.GetEvent(id)).IsProcessed);

        // A subscription made after the event, effective from before it, still finds it; one effective after it does not.
        Assert.Equal([id], await Subject.GetEvents("ClarificationReceived", key, now.AddMinutes(-1)));
        Assert.Empty(await Subject.GetEvents("ClarificationReceived", key, now));

        await Subject.MarkEventUnprocessed(id);
        Assert.Contains(id, await Subject.GetRunnableEvents(now));
    }

    [Fact]
    public async Task ScheduledCommands_AreIdempotentAndDeletedOnlyAfterSuccess()
    {
        var data = Guid.NewGuid().ToString();
        var due = DateTimeOffset.UtcNow.AddSeconds(-1).UtcDateTime.Ticks;
        Assert.True(Subject.SupportsScheduledCommands);
        await Subject.ScheduleCommand(new ScheduledCommand { CommandName = ScheduledCommand.ProcessWorkflow, Data = data, ExecuteTime = due });
        await Subject.ScheduleCommand(new ScheduledCommand { CommandName = ScheduledCommand.ProcessWorkflow, Data = data, ExecuteTime = due });
        await Subject.ScheduleCommand(new ScheduledCommand { CommandName = ScheduledCommand.ProcessWorkflow, Data = "later-" + data, ExecuteTime = DateTime.UtcNow.AddHours(1).Ticks });

        var seen = new List<string>();
        await Subject.ProcessCommands(DateTimeOffset.UtcNow, c => { if (c.Data.EndsWith(data, StringComparison.Ordinal)) { seen.Add(c.Data); } throw new IOException("fails once"); });
        Assert.Equal([data], seen);

        seen.Clear();
        await Subject.ProcessCommands(DateTimeOffset.UtcNow, c => { if (c.Data.EndsWith(data, StringComparison.Ordinal)) { seen.Add(c.Data); } return Task.CompletedTask; });
        Assert.Equal([data], seen);

        seen.Clear();
        await Subject.ProcessCommands(DateTimeOffset.UtcNow, c => { if (c.Data.EndsWith(data, StringComparison.Ordinal)) { seen.Add(c.Data); } return Task.CompletedTask; });
        Assert.Empty(seen);
    }

    [Fact]
    public async Task PersistErrors_StoresEachError()
    {
        var workflowId = Guid.NewGuid().ToString();
        await Subject.PersistErrors([
            new ExecutionError { WorkflowId = workflowId, ExecutionPointerId = "p", ErrorTime = DateTime.UtcNow, Message = "boom" },
            new ExecutionError { WorkflowId = workflowId, ExecutionPointerId = "p", ErrorTime = DateTime.UtcNow, Message = "again" },
        ]);
        Assert.Equal(2, await database.ScalarAsync($"SELECT count(*) FROM workflow.execution_errors WHERE workflow_id = '{workflowId}'"));
    }

    [Fact]
    public async Task StoredRowNamingAnotherType_IsRefused()
    {
        var instance = NewInstance();
        await Subject.CreateNewWorkflow(instance);
        // What an attacker with write access to the table would plant (WorkflowCore issue #1280).
        await using (var command = _dataSource.CreateCommand(
            "UPDATE workflow.instances SET data = '{\"$type\":\"System.Diagnostics.Process, System\",\"StartInfo\":{\"FileName\":\"/bin/true\"}}' WHERE id = $1"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = Guid.Parse(instance.Id) });
            await command.ExecuteNonQueryAsync();
        }

        var error = await Assert.ThrowsAsync<JsonSerializationException>(() => Subject.GetWorkflowInstance(instance.Id));
        Assert.Contains("not on the allow-list", error.InnerException?.Message ?? error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WorkflowData_OfATypeNotOnTheAllowList_IsNotWritten()
    {
        var error = Assert.Throws<JsonSerializationException>(() => WorkflowJson.SerializeObject(new NotOnTheAllowList { Value = 1 }));
        Assert.Contains("AllowedTypes", error.Message, StringComparison.Ordinal);
    }
}

public sealed class NotOnTheAllowList
{
    public int Value { get; set; }
}
