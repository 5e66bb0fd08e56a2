using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using RecordsRequests.Features.Intake;
using RecordsRequests.Features.Mailboxes;
using RecordsRequests.IntegrationTests.Infrastructure;

namespace RecordsRequests.IntegrationTests.Mailboxes;

/// <summary>
/// IMAP with XOAUTH2 against a real dovecot whose oauth2 passdb checks each token with the provider double's
/// introspection endpoint (RFC 7662), the token obtained through MSAL as for Exchange Online's IMAP.AccessAsApp.
/// The test starts its own dovecot (the one ops/test starts accepts passwords only) and stops it afterwards.
/// </summary>
[Collection(Lanes.Mail)]
public sealed class ImapOAuthTests(TestDatabase database) : IAsyncLifetime
{
    private const string User = "records";
    private readonly string _dir = Directory.CreateTempSubdirectory("records-dovecot-oauth-").FullName;
    private ProviderDouble _provider = null!;
    private int _port;

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        _provider = await ProviderDouble.StartAsync();
        using (var socket = new TcpListener(IPAddress.Loopback, 0))
        {
            socket.Start();
            _port = ((IPEndPoint)socket.LocalEndpoint).Port;
        }
        var root = Environment.UserName == "root";
        var owner = root ? "dovecot" : Environment.UserName;
        foreach (var folder in new[] { "base", "state", $"home/{User}/Maildir/new", $"home/{User}/Maildir/cur", $"home/{User}/Maildir/tmp" })
        {
            Directory.CreateDirectory(Path.Combine(_dir, folder));
        }
        await File.WriteAllTextAsync(Path.Combine(_dir, "oauth2.conf"), $"""
            introspection_mode = post
            introspection_url = {_provider.IntrospectionAddress}
            username_attribute = username
            active_attribute = active
            active_value = true
            force_introspection = yes

            """);
        await File.WriteAllTextAsync(Path.Combine(_dir, "dovecot.conf"), $$"""
            protocols = imap
            listen = 127.0.0.1
            base_dir = {{_dir}}/base
            state_dir = {{_dir}}/state
            log_path = {{_dir}}/dovecot.log
            info_log_path = {{_dir}}/dovecot.log
            ssl = no
            disable_plaintext_auth = no
            auth_mechanisms = xoauth2 oauthbearer
            first_valid_uid = 1
            first_valid_gid = 1
            mail_location = maildir:~/Maildir
            default_internal_user = {{owner}}
            default_login_user = {{owner}}
            service imap-login {
              inet_listener imap {
                address = 127.0.0.1
                port = {{_port}}
              }
              inet_listener imaps {
                port = 0
              }
              chroot =
            }
            service anvil {
              chroot =
            }
            passdb {
              driver = oauth2
              mechanisms = xoauth2 oauthbearer
              args = {{_dir}}/oauth2.conf
            }
            userdb {
              driver = static
              args = uid={{owner}} gid={{owner}} home={{_dir}}/home/%u
            }

            """);
        if (root)
        {
            // The mail processes run as dovecot: they must pass through the (0700) temporary folder to the homes.
            await RunAsync("chmod", "755", _dir);
            await RunAsync("chown", "-R", "dovecot:dovecot", Path.Combine(_dir, "home"));
        }
        await RunAsync("/usr/sbin/dovecot", "-c", Path.Combine(_dir, "dovecot.conf"));
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, _port);
                break;
            }
            catch (SocketException) when (attempt < 50)
            {
                await Task.Delay(100);
            }
        }
    }

    public async Task DisposeAsync()
    {
        await RunAsync("/usr/sbin/dovecot", "-c", Path.Combine(_dir, "dovecot.conf"), "stop");
        await _provider.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>
    /// Runs a command to its end. Its output is not captured: dovecot's master daemonizes, and its children would hold
    /// a captured pipe open for as long as they run.
    /// </summary>
    private async Task RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        await process.WaitForExitAsync();
        var log = Path.Combine(_dir, "dovecot.log");
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} failed: {(File.Exists(log) ? File.ReadAllText(log) : "")}");
    }

    /// <summary>Delivers as a local delivery agent would: a file in Maildir/new, which dovecot picks up.</summary>
    private string Deliver(string run, int n)
    {
        var raw = MailboxConnectionTests.Request(run, n);
        var path = Path.Combine(_dir, "home", User, "Maildir", "new", $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.{Guid.NewGuid():N}.test");
        File.WriteAllBytes(path, raw);
        return MailboxConnectionTests.MessageIdOf(raw);
    }

    [Fact]
    public async Task ImapWithMicrosoftToken_SignsInWithXoauth2_TakesInMail_AndGetsANewTokenWhenTheOldOneIsRefused()
    {
        await using var services = database.BuildServices(settings: _provider.Settings());
        var run = Guid.NewGuid().ToString("N")[..8];
        var ids = new List<string> { Deliver(run, 1), Deliver(run, 2), Deliver(run, 3) };
        MailboxConnection connection;
        await using (var scope = services.CreateAsyncScope())
        {
            connection = await scope.ServiceProvider.GetRequiredService<MailboxConnections>().AddAsync(new NewMailboxConnection($"IMAP app {run}",
                MailboxKind.ImapMicrosoftOAuth, User, new MailboxEndpoint(ProviderDouble.Tenant, ProviderDouble.ClientId, "127.0.0.1", _port, null, 0, "None", "INBOX"),
                IsRecordsInbox: true, SendsOutgoingMail: false, ClientSecret: ProviderDouble.ClientSecret), CancellationToken.None);
        }
        async Task<(bool Ok, string Outcome, string? Section)> TestAsync()
        {
            await using var scope = services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<MailboxConnections>().TestAsync(connection.Id, CancellationToken.None);
        }

        // Before Add-MailboxPermission: the server refuses the app's token, and the test says what is missing.
        var refused = await TestAsync();
        Assert.False(refused.Ok);
        Assert.Contains("FullAccess on this mailbox (Add-MailboxPermission)", refused.Outcome, StringComparison.Ordinal);

        _provider.ImapMailboxOfApp = User;
        var passed = await TestAsync();
        Assert.True(passed.Ok, passed.Outcome + File.ReadAllText(Path.Combine(_dir, "dovecot.log")));
        var intake = services.GetRequiredService<MailboxIntake>();
        Assert.Equal(3, await intake.PollAsync(connection.Id, CancellationToken.None));

        // The hour passes: dovecot's introspection says the cached token is no longer active; a new one is fetched once.
        var issued = _provider.TokensIssued;
        _provider.ExpireAllTokens();
        ids.Add(Deliver(run, 4));
        Assert.Equal(1, await intake.PollAsync(connection.Id, CancellationToken.None));
        Assert.True(_provider.TokensIssued > issued, "a new token was fetched through MSAL");
        await MailboxConnectionTests.AssertEachOnceAsync(services, ids, IntakeSource.Imap);
    }
}
