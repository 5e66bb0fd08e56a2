namespace RecordsRequests.Features.Intake;

/// <summary>
/// A batch of intake recorded by <see cref="MailIntake.RecordBatchAsync"/>: its originals are durable, its rows
/// committed, its messages being read, its hashes locked. <see cref="FinishAsync"/> decides and acts on its messages
/// and commits; <see cref="FollowUpAsync"/> then does what follows the commit (lifecycles started, jobs queued, replies'
/// listeners told); disposing does it if nobody did, and releases the hashes (finished or not: an unfinished batch's
/// rows stay recorded, unprocessed, and its messages are taken in when they come again).
/// </summary>
public sealed class RecordedBatch(Func<CancellationToken, Task<RecordedBatch.Finished>> finish, Func<Task> release) : IAsyncDisposable
{
    /// <summary>What finishing a batch returns: its results, and what follows its commit, not yet run.</summary>
    public sealed record Finished(IReadOnlyList<IntakeResult> Results, Func<CancellationToken, Task> FollowUp);

    /// <summary>For a batch whose follow-ups ran already, message by message.</summary>
    public static readonly Func<CancellationToken, Task> NothingToFollow = _ => Task.CompletedTask;

    private Func<CancellationToken, Task>? _followUp;
    private int _released;

    /// <summary>
    /// Decides and acts on the messages in the order given, and commits; the channel may acknowledge them once this
    /// returns. What follows the commit waits for <see cref="FollowUpAsync"/>, so the channel can finish its next batch
    /// meanwhile.
    /// </summary>
    public async Task<IReadOnlyList<IntakeResult>> FinishAsync(CancellationToken cancellationToken)
    {
        var finished = await finish(cancellationToken);
        _followUp = finished.FollowUp;
        return finished.Results;
    }

    /// <summary>
    /// What follows the commit of a finished batch, once. A channel that finishes its batches while earlier ones follow up
    /// runs these in the order it recorded the batches, so a reply is never announced before the request it joins.
    /// </summary>
    public Task FollowUpAsync(CancellationToken cancellationToken) =>
        Interlocked.Exchange(ref _followUp, null)?.Invoke(cancellationToken) ?? Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            try
            {
                await FollowUpAsync(CancellationToken.None);
            }
            finally
            {
                await release();
            }
        }
    }
}
