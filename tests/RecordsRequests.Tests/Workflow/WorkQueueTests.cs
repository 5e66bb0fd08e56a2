using RecordsRequests.Features.Workflow.Engine;
using WorkflowCore.Interface;

namespace RecordsRequests.Tests.Workflow;

public class WorkQueueTests
{
    [Fact]
    public async Task QueueWork_SameIdWhileWaiting_IsTakenOnce()
    {
        using var queue = new WorkQueue();
        for (var poll = 0; poll < 5; poll++)
        {
            await queue.QueueWork("instance-1", QueueType.Workflow);
        }
        await queue.QueueWork("instance-2", QueueType.Workflow);

        Assert.Equal("instance-1", await queue.DequeueWork(QueueType.Workflow, CancellationToken.None));
        Assert.Equal("instance-2", await queue.DequeueWork(QueueType.Workflow, CancellationToken.None));
        Assert.Null(await queue.DequeueWork(QueueType.Workflow, CancellationToken.None));
    }

    [Fact]
    public async Task QueueWork_AfterTheIdWasTaken_QueuesItAgain()
    {
        // An event published while its instance is being processed needs a second pass.
        using var queue = new WorkQueue();
        await queue.QueueWork("instance-1", QueueType.Workflow);
        Assert.Equal("instance-1", await queue.DequeueWork(QueueType.Workflow, CancellationToken.None));

        await queue.QueueWork("instance-1", QueueType.Workflow);

        Assert.Equal("instance-1", await queue.DequeueWork(QueueType.Workflow, CancellationToken.None));
    }

    [Fact]
    public async Task Queues_AreSeparatePerType()
    {
        using var queue = new WorkQueue();
        await queue.QueueWork("same-id", QueueType.Workflow);
        await queue.QueueWork("same-id", QueueType.Event);

        Assert.Equal("same-id", await queue.DequeueWork(QueueType.Event, CancellationToken.None));
        Assert.Equal("same-id", await queue.DequeueWork(QueueType.Workflow, CancellationToken.None));
        Assert.Null(await queue.DequeueWork(QueueType.Index, CancellationToken.None));
    }

    [Fact]
    public async Task DequeueWork_WaitingOnAnEmptyQueue_ReceivesWorkQueuedMeanwhile()
    {
        using var queue = new WorkQueue();
        var waiting = queue.DequeueWork(QueueType.Event, CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        await queue.QueueWork("event-1", QueueType.Event);

        Assert.Equal("event-1", await waiting);
    }

    [Fact]
    public async Task DequeueWork_WhenTheConsumerStops_EndsWithCancellation()
    {
        using var queue = new WorkQueue();
        using var stopping = new CancellationTokenSource();
        var waiting = queue.DequeueWork(QueueType.Workflow, stopping.Token);

        await stopping.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }
}
