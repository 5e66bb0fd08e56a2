using Microsoft.Extensions.Options;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Intake;

/// <summary>
/// Picks up .eml and .mbox files dropped into <c>&lt;data&gt;/dropbox</c>. Each file is moved to <c>processed/</c> once
/// every message in it has been through intake (quarantined ones included), so a crash midway leads to a redelivery that
/// intake recognises, never to a loss.
/// </summary>
public sealed class DropFolderWatcher(IServiceScopeFactory scopes, IOptions<IntakeOptions> options, IOptions<RecordsOptions> records,
    TimeProvider clock, ILogger<DropFolderWatcher> log) : BackgroundService
{
    public string Folder { get; } = Path.IsPathRooted(options.Value.DropFolder.Path)
        ? options.Value.DropFolder.Path
        : Path.Combine(records.DataPath(), options.Value.DropFolder.Path);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Directory.CreateDirectory(Folder);
        log.LogInformation("Drop-folder intake watching {Folder}", Folder);
        using var timer = new PeriodicTimer(options.Value.DropFolder.PollInterval);
        do
        {
            try
            {
                await ProcessFolderAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "Drop-folder intake failed; retrying on the next tick");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task<int> ProcessFolderAsync(CancellationToken cancellationToken)
    {
        var count = 0;
        foreach (var file in Directory.EnumerateFiles(Folder).Where(IsMailFile).Order(StringComparer.Ordinal).ToList())
        {
            await using (var scope = scopes.CreateAsyncScope())
            {
                if (scope.ServiceProvider.GetService<ICurrentActor>() is HttpOrSystemActor actor)
                {
                    actor.SystemName = "intake:dropbox";
                }
                var rejected = false;
                foreach (var entry in MailFiles.Enumerate(file, options.Value.MaxMessageBytes * 20))
                {
                    if (entry.Raw is null)
                    {
                        // Too large or unreadable: it goes to rejected/ with the reason in the log, not silently away.
                        log.LogWarning("Drop-folder file {File} not read: {Error}", file, entry.ReadError);
                        rejected = true;
                        continue;
                    }
                    await scope.ServiceProvider.GetRequiredService<MailIntake>().ReceiveAsync(entry.Raw, IntakeSource.DropFolder,
                        $"{Path.GetFileName(file)}#{entry.Index}", cancellationToken);
                    count++;
                }
                var target = Path.Combine(Folder, rejected ? "rejected" : "processed");
                Directory.CreateDirectory(target);
                File.Move(file, Path.Combine(target, $"{clock.GetUtcNow():yyyyMMddHHmmss}-{Path.GetFileName(file)}"), overwrite: true);
            }
        }
        return count;
    }

    private static bool IsMailFile(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".eml" or ".mbox" && !Path.GetFileName(path).StartsWith('.');
}
