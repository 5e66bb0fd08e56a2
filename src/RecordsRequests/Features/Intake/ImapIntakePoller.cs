using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using Microsoft.Extensions.Options;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Intake;

/// <summary>
/// Reads the district's records mailbox over IMAP. Every message not yet marked is fetched as raw bytes and given to
/// intake; once intake has stored it, the message is flagged <c>$RecordsProcessed</c> and \Seen (or moved to the
/// configured folder). Nothing is ever deleted from the mailbox. Between polls it waits with IDLE when the server
/// offers it, so new mail is picked up within seconds.
/// </summary>
public sealed class ImapIntakePoller(IServiceScopeFactory scopes, IOptions<IntakeOptions> options, ILogger<ImapIntakePoller> log) : BackgroundService
{
    public const string ProcessedKeyword = "$RecordsProcessed";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.Imap;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                using var client = new ImapClient();
                await ConnectAsync(client, settings, stoppingToken);
                var folder = await client.GetFolderAsync(settings.Folder, stoppingToken);
                while (!stoppingToken.IsCancellationRequested && client.IsConnected)
                {
                    await PollOnceAsync(client, folder, stoppingToken);
                    await WaitForMailAsync(client, folder, settings, stoppingToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "IMAP intake from {Host} failed; reconnecting after {Interval}", settings.Host, settings.PollInterval);
                await Task.Delay(settings.PollInterval, stoppingToken);
            }
        }
    }

    public static async Task ConnectAsync(ImapClient client, ImapPollingOptions settings, CancellationToken cancellationToken)
    {
        await client.ConnectAsync(settings.Host ?? throw new InvalidOperationException("Intake:Imap:Host is not set."), settings.Port, Enum.Parse<SecureSocketOptions>(settings.Security, ignoreCase: true), cancellationToken);
        if (!string.IsNullOrEmpty(settings.User))
        {
            await client.AuthenticateAsync(settings.User, settings.Password ?? "", cancellationToken);
        }
    }

    /// <summary>Takes in every unprocessed message of the folder; returns how many.</summary>
    public async Task<int> PollOnceAsync(ImapClient client, IMailFolder folder, CancellationToken cancellationToken)
    {
        var settings = options.Value.Imap;
        await folder.OpenAsync(FolderAccess.ReadWrite, cancellationToken);
        // Servers that cannot store our keyword (PermanentKeywords without \*) fall back to \Seen as the mark.
        var canKeyword = folder.PermanentFlags.HasFlag(MessageFlags.UserDefined) || folder.PermanentKeywords.Contains(ProcessedKeyword);
        var query = canKeyword ? SearchQuery.NotKeyword(ProcessedKeyword) : SearchQuery.NotSeen;
        var uids = await folder.SearchAsync(query, cancellationToken);
        IMailFolder? processedFolder = string.IsNullOrWhiteSpace(settings.ProcessedFolder) ? null : await client.GetFolderAsync(settings.ProcessedFolder, cancellationToken);
        // Fetched, stored and synced a batch at a time: one sync per batch, and flags set once its messages are taken in.
        foreach (var batch in await MailPages.OfFolderAsync(folder, uids, cancellationToken))
        {
            var raws = await FetchRawAsync(folder, batch, cancellationToken);
            var fetched = batch.Select(uid => (raws[uid], (string?)$"{settings.Host}/{folder.FullName} UID {uid.Id} (UIDVALIDITY {folder.UidValidity})")).ToList();
            await using (var scope = scopes.CreateAsyncScope())
            {
                if (scope.ServiceProvider.GetService<ICurrentActor>() is HttpOrSystemActor actor)
                {
                    actor.SystemName = "intake:imap";
                }
                await scope.ServiceProvider.GetRequiredService<MailIntake>().ReceiveBatchAsync(fetched, IntakeSource.Imap, cancellationToken);
            }
            // Marked only after intake has stored them: a crash in between means a redelivery, which intake recognises.
            var flags = new StoreFlagsRequest(StoreAction.Add, MessageFlags.Seen);
            if (canKeyword)
            {
                flags.Keywords.Add(ProcessedKeyword);
            }
            await folder.StoreAsync(batch, flags, cancellationToken);
            if (processedFolder is not null)
            {
                await folder.MoveToAsync(batch, processedFolder, cancellationToken);
            }
        }
        return uids.Count;
    }

    /// <summary>The raw bytes of the messages, fetched with one command rather than a round trip each.</summary>
    public static async Task<Dictionary<UniqueId, byte[]>> FetchRawAsync(IMailFolder folder, IList<UniqueId> uids, CancellationToken cancellationToken)
    {
        var raws = new Dictionary<UniqueId, byte[]>(uids.Count);
        await ((ImapFolder)folder).GetStreamsAsync(uids, async (_, _, uid, stream, token) =>
        {
            // Sized to the message when the stream knows its length (MailKit's do), so its buffer is the copy: a stream
            // growing by doubling and then copied made three copies of every message, of a large one on the large-object heap.
            using var copy = stream.CanSeek ? new MemoryStream(checked((int)(stream.Length - stream.Position))) : new MemoryStream();
            await stream.CopyToAsync(copy, token);
            raws[uid] = copy.Length == copy.Capacity ? copy.GetBuffer() : copy.ToArray();
        }, cancellationToken);
        var missing = uids.Where(uid => !raws.ContainsKey(uid)).ToList();
        if (missing.Count > 0)
        {
            // Expunged by someone else between the search and the fetch: nothing to take in, and the next search will not list them.
            throw new IOException($"The IMAP server did not return {missing.Count} of the messages asked for (UID {string.Join(", ", missing.Select(u => u.Id))}).");
        }
        return raws;
    }

    private static async Task WaitForMailAsync(ImapClient client, IMailFolder folder, ImapPollingOptions settings, CancellationToken cancellationToken)
    {
        if (!settings.UseIdle || !client.Capabilities.HasFlag(ImapCapabilities.Idle))
        {
            await Task.Delay(settings.PollInterval, cancellationToken);
            return;
        }
        // IDLE until the server reports new mail or the poll interval passes (RFC 2177 asks clients to re-issue within 29 minutes).
        using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        done.CancelAfter(settings.PollInterval);
        void OnCountChanged(object? sender, EventArgs e) => done.Cancel();
        folder.CountChanged += OnCountChanged;
        try
        {
            await client.IdleAsync(done.Token, cancellationToken);
        }
        finally
        {
            folder.CountChanged -= OnCountChanged;
        }
    }
}
