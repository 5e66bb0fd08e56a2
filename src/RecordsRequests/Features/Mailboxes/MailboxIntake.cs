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
        try
        {
            await using var client = clients.For(connection);
            await client.FetchAsync(checkpoint.Position, async (page, token) =>
            {
                await TakeAsync(connection, page, token);
                taken += page.Count;
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
        checkpoint.NotePoll(clock.GetUtcNow(), error);
        await db.SaveChangesAsync(cancellationToken);
        return taken;
    }

    /// <summary>A page of the mailbox, stored, synced and taken in together; what the provider judged spam is held on the spam list.</summary>
    private async Task TakeAsync(MailboxConnection connection, IReadOnlyList<FetchedMail> page, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        SystemActor(scope, $"intake:{connection.Name}");
        var envelope = connection.Upstream is { } upstream ? IntakeEnvelope.FetchedFrom(upstream) : null;
        await scope.ServiceProvider.GetRequiredService<MailIntake>().ReceiveBatchAsync(
            page.Select(mail => new IncomingMail(mail.Raw, mail.Reference, mail.SpamVerdict)).ToList(), connection.IntakeSource, cancellationToken, envelope);
    }

    private static void SystemActor(AsyncServiceScope scope, string name)
    {
        if (scope.ServiceProvider.GetService<ICurrentActor>() is HttpOrSystemActor actor)
        {
            actor.SystemName = name;
        }
    }
}
