using Microsoft.Extensions.Options;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Intake;

/// <summary>
/// Picks up .eml and .mbox files dropped into <c>&lt;data&gt;/dropbox</c>. Each file is moved to <c>processed/</c> once
/// every message in it has been through intake (quarantined ones included), so a crash midway leads to a redelivery that
/// intake recognises, never to a loss. A file that cannot be taken in (a symbolic link, too large, unreadable) goes to
/// <c>rejected/</c> with a note of the reason beside it, shown to officers on the quarantine page. One bad file never
/// holds up the others.
/// </summary>
public sealed class DropFolderWatcher(IServiceScopeFactory scopes, IOptions<IntakeOptions> options, IOptions<RecordsOptions> records,
    TimeProvider clock, ILogger<DropFolderWatcher> log) : BackgroundService
{
    public string Folder { get; } = DropFolder.PathOf(options.Value, records);

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
            try
            {
                count += await ProcessFileAsync(file, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Left where it is and tried again on the next tick (the database may be back by then); the next file goes on.
                log.LogError(e, "Drop-folder file {File} could not be taken in; it stays for the next try", file);
            }
        }
        return count;
    }

    private async Task<int> ProcessFileAsync(string file, CancellationToken cancellationToken)
    {
        var count = 0;
        await using var scope = scopes.CreateAsyncScope();
        if (scope.ServiceProvider.GetService<ICurrentActor>() is HttpOrSystemActor actor)
        {
            actor.SystemName = "intake:dropbox";
        }
        var refused = new List<string>();
        var messages = new List<(byte[] Raw, string? SourceReference)>();
        foreach (var entry in MailFiles.Enumerate(file, options.Value.MaxMessageBytes * 20))
        {
            if (entry.Raw is null)
            {
                refused.Add(entry.ReadError ?? "unreadable");
                continue;
            }
            messages.Add((entry.Raw, $"{Path.GetFileName(file)}#{entry.Index}"));
        }
        // The messages of one file are stored and synced together, then taken in one by one.
        await scope.ServiceProvider.GetRequiredService<MailIntake>().ReceiveBatchAsync(messages, IntakeSource.DropFolder, cancellationToken);
        count += messages.Count;
        var target = Path.Combine(Folder, refused.Count > 0 ? DropFolder.RejectedFolderName : "processed");
        Directory.CreateDirectory(target);
        var moved = Path.Combine(target, $"{clock.GetUtcNow():yyyyMMddHHmmss}-{Path.GetFileName(file)}");
        // A symbolic link is moved as the link itself; what it points at is never opened.
        File.Move(file, moved, overwrite: true);
        if (refused.Count > 0)
        {
            var reason = string.Join("; ", refused.Distinct());
            log.LogWarning("Drop-folder file {File} refused: {Reason}", file, reason);
            await File.WriteAllTextAsync(moved + DropFolder.ReasonSuffix, reason, CancellationToken.None);
        }
        return count;
    }

    private static bool IsMailFile(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".eml" or ".mbox" && !Path.GetFileName(path).StartsWith('.');
}
