using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RecordsRequests.Data;

namespace RecordsRequests.Features.Mailboxes;

/// <summary>Polls every enabled records-inbox connection, one after another, every <see cref="MailboxOptions.PollInterval"/>.</summary>
public sealed class MailboxIntakeService(IServiceScopeFactory scopes, MailboxIntake intake, IOptions<MailboxOptions> options, TimeProvider clock,
    ILogger<MailboxIntakeService> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            List<Guid> inboxes;
            await using (var scope = scopes.CreateAsyncScope())
            {
                inboxes = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Set<MailboxConnection>()
                    .Where(c => c.Enabled && c.IsRecordsInbox).OrderBy(c => c.Name).Select(c => c.Id).ToListAsync(stoppingToken);
            }
            foreach (var id in inboxes)
            {
                try
                {
                    await intake.PollAsync(id, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    log.LogError(e, "Intake from mailbox connection {Id} failed; tried again at the next poll", id);
                }
            }
            await Task.Delay(options.Value.PollInterval, clock, stoppingToken);
        }
    }
}
