using System.Globalization;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Search;
using MailKit.Security;
using MimeKit;
using RecordsRequests.Features.Intake;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Mailboxes;

/// <summary>
/// A mailbox over IMAP (reading) and SMTP (sending), signed in with XOAUTH2 (a Microsoft 365 or Google token,
/// MailKit's <see cref="SaslMechanismOAuth2"/>) or, for other servers and Google app passwords, with a password. New
/// mail is everything above the last UID taken in (under the same UIDVALIDITY) that does not carry the processed
/// keyword; each taken message is flagged \Seen and <c>$RecordsProcessed</c>, never deleted.
/// </summary>
public sealed class ImapMailbox(MailboxConnection connection, MailboxSecret secret, Func<bool, CancellationToken, Task<string>> token) : IMailboxClient
{
    private readonly ImapClient _imap = new();

    private string Setup => SetupGuide.For(connection.Kind);

    public async Task<string> TestAsync(CancellationToken cancellationToken)
    {
        var folder = await OpenAsync(FolderAccess.ReadOnly, cancellationToken);
        var outgoing = connection.SendsOutgoingMail ? await TestSmtpAsync(cancellationToken) : "";
        return $"Signed in to {connection.ImapHost} as {connection.Mailbox} and opened {folder.FullName}: {folder.Count} messages.{outgoing}";
    }

    public async Task FetchAsync(string? position, Func<IReadOnlyList<FetchedMail>, CancellationToken, Task<Task>> take, Func<string?, CancellationToken, Task> advance,
        CancellationToken cancellationToken)
    {
        var folder = await OpenAsync(FolderAccess.ReadWrite, cancellationToken);
        var (validity, last) = Parse(position);
        if (validity != folder.UidValidity)
        {
            // The server renumbered the folder: read it all again; the keyword and intake's own check keep repeats out.
            last = 0;
        }
        var canKeyword = folder.PermanentFlags.HasFlag(MessageFlags.UserDefined) || folder.PermanentKeywords.Contains(ImapIntakePoller.ProcessedKeyword);
        var range = new UniqueIdRange(new UniqueId(folder.UidValidity, last + 1), UniqueId.MaxValue);
        var query = SearchQuery.Uids(range);
        var uids = await folder.SearchAsync(canKeyword ? query.And(SearchQuery.NotKeyword(ImapIntakePoller.ProcessedKeyword)) : query, cancellationToken);
        // Fetched, taken in and flagged a page at a time (MailPages: bounded by count and by bytes).
        var batches = await MailPages.OfFolderAsync(folder, uids.Where(u => u.Id > last), cancellationToken);
        var flags = new StoreFlagsRequest(StoreAction.Add, MessageFlags.Seen);
        if (canKeyword)
        {
            flags.Keywords.Add(ImapIntakePoller.ProcessedKeyword);
        }
        var next = batches.Count > 0 ? ImapIntakePoller.FetchRawAsync(folder, batches[0], cancellationToken) : null;
        // The page handed over before the current one, decided while the current one is recorded; marked once taken in.
        (UniqueId[] Batch, Task Taken)? previous = null;
        try
        {
            for (var i = 0; i < batches.Count; i++)
            {
                var batch = batches[i];
                Dictionary<UniqueId, byte[]> raws;
                using (Tracing.Intake.StartActivity("wait for the server"))
                {
                    raws = await next!;
                }
                // The next page comes over the wire while this one is taken in (the connection is idle until the flags);
                // it is waited for before the flags are stored, since the connection runs one command at a time.
                next = i + 1 < batches.Count ? ImapIntakePoller.FetchRawAsync(folder, batches[i + 1], cancellationToken) : null;
                Task taken;
                try
                {
                    taken = await take(batch.Select(uid => new FetchedMail(raws[uid], $"{connection.ImapHost}/{folder.FullName} UID {uid.Id} (UIDVALIDITY {folder.UidValidity})", null)).ToList(),
                        cancellationToken);
                    if (previous is { } before)
                    {
                        await before.Taken;
                    }
                }
                catch
                {
                    await Finished(next);
                    throw;
                }
                await Finished(next);
                if (previous is { } done)
                {
                    await MarkAsync(folder, done.Batch, flags, advance, cancellationToken);
                }
                previous = (batch, taken);
            }
            if (previous is { } final)
            {
                await final.Taken;
                await MarkAsync(folder, final.Batch, flags, advance, cancellationToken);
            }
        }
        catch when (previous is { } unfinished)
        {
            // A page still being taken in ends (committed or rolled back) before the failure is reported; it is not marked,
            // so it comes again, and intake knows its bytes.
            await Finished(unfinished.Taken);
            throw;
        }
        if (uids.Count == 0 && validity != folder.UidValidity)
        {
            await advance(string.Create(CultureInfo.InvariantCulture, $"{folder.UidValidity}:0"), cancellationToken);
        }
    }

    /// <summary>
    /// Flagged only once intake has stored and committed them: a crash before this redelivers them, and intake knows the
    /// bytes. Then the position moves past them.
    /// </summary>
    private static async Task MarkAsync(IMailFolder folder, UniqueId[] batch, StoreFlagsRequest flags, Func<string?, CancellationToken, Task> advance,
        CancellationToken cancellationToken)
    {
        using (Tracing.Intake.StartActivity("flag on the server"))
        {
            await folder.StoreAsync(batch, flags, cancellationToken);
        }
        await advance(string.Create(CultureInfo.InvariantCulture, $"{folder.UidValidity}:{batch[^1].Id}"), cancellationToken);
    }

    /// <summary>
    /// Waits for work under way, whatever its outcome: a fetch running on the connection (the next command may then be
    /// sent, and a failure shows when its page is taken), or a page being taken in.
    /// </summary>
    private static async Task Finished(Task? work)
    {
        if (work is not null)
        {
            await work.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private static (uint Validity, uint Last) Parse(string? position) =>
        position?.Split(':') is [var v, var l] && uint.TryParse(v, CultureInfo.InvariantCulture, out var validity) && uint.TryParse(l, CultureInfo.InvariantCulture, out var last)
            ? (validity, last) : (0, 0);

    private async Task<IMailFolder> OpenAsync(FolderAccess access, CancellationToken cancellationToken)
    {
        if (!_imap.IsConnected)
        {
            await ConnectAsync(_imap, connection.ImapHost, connection.ImapPort, cancellationToken);
        }
        if (!_imap.IsAuthenticated)
        {
            await SignInAsync(_imap, cancellationToken);
        }
        IMailFolder folder;
        try
        {
            folder = await _imap.GetFolderAsync(connection.Folder, cancellationToken);
        }
        catch (FolderNotFoundException e)
        {
            throw new MailboxProblem($"There is no folder \"{connection.Folder}\" in {connection.Mailbox}.", Setup, e);
        }
        await folder.OpenAsync(access, cancellationToken);
        return folder;
    }

    private async Task ConnectAsync(IMailService client, string? host, int port, CancellationToken cancellationToken)
    {
        try
        {
            await client.ConnectAsync(host ?? throw new MailboxProblem("The connection has no server name.", Setup), port,
                Enum.Parse<SecureSocketOptions>(connection.Security, ignoreCase: true), cancellationToken);
        }
        catch (SocketException e)
        {
            throw new MailboxProblem($"Could not connect to {host} port {port}: {e.Message}. Check the server name, the port and the firewall.", Setup, e);
        }
        catch (SslHandshakeException e)
        {
            throw new MailboxProblem($"The secure connection to {host} failed: its certificate is not trusted or does not name {host}, or the security setting does not match the port.", Setup, e);
        }
    }

    private async Task SignInAsync(IMailService client, CancellationToken cancellationToken)
    {
        try
        {
            if (connection.Kind == MailboxKind.ImapPassword)
            {
                await client.AuthenticateAsync(connection.Mailbox, secret.Password ?? "", cancellationToken);
                return;
            }
            try
            {
                await client.AuthenticateAsync(new SaslMechanismOAuth2(connection.Mailbox, await token(false, cancellationToken)), cancellationToken);
            }
            catch (AuthenticationException)
            {
                // A token the server no longer accepts (expired, revoked) is asked for again once.
                await client.AuthenticateAsync(new SaslMechanismOAuth2(connection.Mailbox, await token(true, cancellationToken)), cancellationToken);
            }
        }
        catch (AuthenticationException e)
        {
            var host = connection.ImapHost ?? "";
            var words = connection.Kind switch
            {
                MailboxKind.ImapPassword when host.EndsWith("office365.com", StringComparison.OrdinalIgnoreCase) || host.EndsWith("outlook.com", StringComparison.OrdinalIgnoreCase) =>
                    "Microsoft 365 no longer accepts passwords for IMAP (basic authentication was turned off in 2022). Use a Microsoft 365 connection instead.",
                MailboxKind.ImapPassword when host.EndsWith("gmail.com", StringComparison.OrdinalIgnoreCase) || host.EndsWith("googlemail.com", StringComparison.OrdinalIgnoreCase) =>
                    "Google refused the password. Google accepts only an app password here (it needs 2-Step Verification on the account); a Google Workspace connection is better.",
                MailboxKind.ImapPassword => $"{host} refused the user name or password for {connection.Mailbox}.",
                MailboxKind.ImapMicrosoftOAuth =>
                    $"Exchange Online refused the application's token for {connection.Mailbox}: the app needs the IMAP.AccessAsApp (and SMTP.SendAsApp) permission with admin consent, a service principal in Exchange, and FullAccess on this mailbox (Add-MailboxPermission).",
                _ => $"Google refused the service account's token for {connection.Mailbox}: domain-wide delegation must allow https://mail.google.com/ and IMAP must be on for the user.",
            };
            throw new MailboxProblem(words, Setup, e);
        }
    }

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        using var smtp = await OpenSmtpAsync(cancellationToken);
        await smtp.SendAsync(message, cancellationToken);
        await smtp.DisconnectAsync(quit: true, cancellationToken);
    }

    private async Task<string> TestSmtpAsync(CancellationToken cancellationToken)
    {
        using var smtp = await OpenSmtpAsync(cancellationToken);
        await smtp.DisconnectAsync(quit: true, cancellationToken);
        return $" Signed in to {connection.SmtpHost} for sending.";
    }

    private async Task<SmtpClient> OpenSmtpAsync(CancellationToken cancellationToken)
    {
        var smtp = new SmtpClient();
        try
        {
            // Port 465 is TLS from the start; submission ports (587) upgrade with STARTTLS; a loopback test server may offer neither.
            await ConnectAsync(smtp, connection.SmtpHost, connection.SmtpPort, cancellationToken);
            await SignInAsync(smtp, cancellationToken);
            return smtp;
        }
        catch
        {
            smtp.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_imap.IsConnected)
        {
            try
            {
                await _imap.DisconnectAsync(quit: true);
            }
            catch (Exception e) when (e is IOException or ImapProtocolException or ImapCommandException or SocketException)
            {
                // The connection is going away either way.
            }
        }
        _imap.Dispose();
    }
}
