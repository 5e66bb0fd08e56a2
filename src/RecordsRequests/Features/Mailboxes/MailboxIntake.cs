using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;
using RecordsRequests.Features.Intake;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Mailboxes;

/// <summary>
/// Takes new mail in from a connection that is the records inbox: a page of messages at a time goes to
/// <see cref="MailIntake"/> (their raw bytes stored and synced together before anything is parsed), the provider marks
/// them processed, and the position is saved after every page. A restart resumes from the saved position; what was
/// taken but not yet marked when it stopped comes again and intake recognises the same bytes, so each message is taken
/// in exactly once. Mail the provider judged spam is held on the spam list with the provider's verdict, never opened as
/// a request.
/// </summary>
public sealed class MailboxIntake(IServiceScopeFactory scopes, MailboxClients clients, TimeProvider clock, ILogger<MailboxIntake> log)
{
    /// <summary>One round for one connection; returns how many messages it handed to intake.</summary>
    public async Task<int> PollAsync(Guid connectionId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        SystemActor(scope, "intake:mailbox");
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var connection = await db.Set<MailboxConnection>().AsNoTracking().SingleAsync(c => c.Id == connectionId, cancellationToken);
        var checkpoint = await db.Set<MailboxCheckpoint>().SingleOrDefaultAsync(c => c.ConnectionId == connectionId, cancellationToken);
        if (checkpoint is null)
        {
            checkpoint = MailboxCheckpoint.Start(connectionId);
            db.Add(checkpoint);
        }
        var taken = 0;
        string? error = null;
        // The page handed over last: committed (the next one is decided only after it, while being recorded alongside),
        // and done (what follows its commit, which the next page's follow-ups wait for; the next page is decided meanwhile).
        var committed = Task.CompletedTask;
        var done = Task.CompletedTask;
        try
        {
            await using var client = clients.For(connection);
            await client.FetchAsync(checkpoint.Position, async (page, token) =>
            {
                var (pageScope, recorded) = await RecordAsync(connection, page, token);
                var pageCommitted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                done = FinishAfterAsync(committed, done, pageCommitted, pageScope, recorded, page.Count, token);
                committed = pageCommitted.Task;
                return committed;
            }, async (position, token) =>
            {
                using var saving = Tracing.Intake.StartActivity("save the position");
                checkpoint.Advance(position);
                await db.SaveChangesAsync(token);
            }, cancellationToken);
        }
        catch (MailboxProblem problem)
        {
            error = problem.Message;
            log.LogWarning("Intake from mailbox {Name} stopped: {Problem}", connection.Name, problem.Message);
        }
        finally
        {
            // Every page's follow-ups run to their end, and its scope is let go, before the poll reports.
            await done.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        checkpoint.NotePoll(clock.GetUtcNow(), error);
        await db.SaveChangesAsync(cancellationToken);
        return taken;

        async Task FinishAfterAsync(Task committedBefore, Task doneBefore, TaskCompletionSource pageCommitted, AsyncServiceScope pageScope, RecordedBatch recorded,
            int count, CancellationToken token)
        {
            await using (pageScope)
            await using (recorded)
            {
                try
                {
                    // Decided only once the page before it is committed: a message sees what the ones before it opened. A
                    // page whose predecessor failed is left recorded and unprocessed; it comes again.
                    await committedBefore;
                    await recorded.FinishAsync(token);
                    taken += count;
                    pageCommitted.SetResult();
                }
                catch (Exception e)
                {
                    pageCommitted.SetException(e);
                }
                // Follow-ups in the order of the pages: a reply's listeners hear of it after its request's lifecycle started.
                await doneBefore;
                await recorded.FollowUpAsync(token);
            }
        }
    }

    /// <summary>
    /// A page of the mailbox recorded (stored, synced, its rows committed) and being read, in a scope of its own that lives
    /// until the page is taken in; what the provider judged spam is held on the spam list when it is.
    /// </summary>
    private async Task<(AsyncServiceScope Scope, RecordedBatch Batch)> RecordAsync(MailboxConnection connection, IReadOnlyList<FetchedMail> page,
        CancellationToken cancellationToken)
    {
        var scope = scopes.CreateAsyncScope();
        try
        {
            SystemActor(scope, $"intake:{connection.Name}");
            var envelope = connection.Upstream is { } upstream ? IntakeEnvelope.FetchedFrom(upstream) : null;
            var batch = await scope.ServiceProvider.GetRequiredService<MailIntake>().RecordBatchAsync(
                page.Select(mail => new IncomingMail(mail.Raw, mail.Reference, mail.SpamVerdict)).ToList(), connection.IntakeSource, cancellationToken, envelope);
            return (scope, batch);
        }
        catch
        {
            await scope.DisposeAsync();
            throw;
        }
    }

    private static void SystemActor(AsyncServiceScope scope, string name)
    {
        if (scope.ServiceProvider.GetService<ICurrentActor>() is HttpOrSystemActor actor)
        {
            actor.SystemName = name;
        }
    }
}
