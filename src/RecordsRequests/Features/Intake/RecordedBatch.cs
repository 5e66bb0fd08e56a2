namespace RecordsRequests.Features.Intake;

/// <summary>
/// A batch of intake recorded by <see cref="MailIntake.RecordBatchAsync"/>: its originals are durable, its rows
/// committed, its messages being read, its hashes locked. <see cref="FinishAsync"/> decides and acts on its messages
/// and commits; disposing releases the hashes (finished or not: an unfinished batch's rows stay recorded, unprocessed,
/// and its messages are taken in when they come again).
/// </summary>
public sealed class RecordedBatch(Func<CancellationToken, Task<IReadOnlyList<IntakeResult>>> finish, Func<Task> release) : IAsyncDisposable
{
    private int _released;

    /// <summary>Decides and acts on the messages in the order given, and commits; the channel may acknowledge them once this returns.</summary>
    public Task<IReadOnlyList<IntakeResult>> FinishAsync(CancellationToken cancellationToken) => finish(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            await release();
        }
    }
}
