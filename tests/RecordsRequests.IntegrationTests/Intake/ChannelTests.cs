using System.Net;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;
using RecordsRequests.Data;
using RecordsRequests.Features.Intake;
using RecordsRequests.IntegrationTests.Infrastructure;

namespace RecordsRequests.IntegrationTests.Intake;

[Collection(Lanes.Mail)]
public class ChannelTests(TestDatabase database) : IAsyncLifetime
{
    /// <summary>Each test starts from the migrated database: what an earlier test left is gone.</summary>
    public Task InitializeAsync() => database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    [Fact]
    public async Task SmtpListener_RealSmtpSession_OpensTheRequest()
    {
        await using var services = database.BuildServices();
        var options = new IntakeOptions { Smtp = { Enabled = true, Port = FreePort() } };
        var listener = new SmtpIntakeListener(services.GetRequiredService<IServiceScopeFactory>(), Options.Create(options), NullLogger<SmtpIntakeListener>.Instance);
        await listener.StartAsync(CancellationToken.None);
        var subject = $"SMTP request {Guid.NewGuid():N}";
        try
        {
            var message = new MimeMessage { Subject = subject, Body = new TextPart("plain") { Text = "Under c. 66, please send the 2025 snow removal invoices." } };
            message.From.Add(new MailboxAddress("Robin Requester", "robin@smtp.example"));
            message.To.Add(new MailboxAddress("Records", "records@demo-district.example"));
            using var client = new SmtpClient();
            // The listener binds its socket in the background after StartAsync returns; wait until it accepts.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await client.ConnectAsync("127.0.0.1", options.Smtp.Port, MailKit.Security.SecureSocketOptions.None);
                    break;
                }
                catch (SocketException) when (attempt < 100)
                {
                    await Task.Delay(100);
                }
            }
            await client.SendAsync(message);
            await client.DisconnectAsync(quit: true);
        }
        finally
        {
            await listener.StopAsync(CancellationToken.None);
        }

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var inbound = await db.Set<InboundMessage>().SingleAsync(m => m.Subject == subject);
        Assert.Equal(IntakeClassification.Request, inbound.Classification);
        Assert.Equal(IntakeSource.Smtp, inbound.Source);
        var request = await db.Requests.Include(r => r.Requester).SingleAsync(r => r.Id == inbound.RequestId);
        Assert.Equal("robin@smtp.example", request.Requester.Email);
        Assert.Equal(Features.Requests.CitedLaw.MassachusettsPublicRecordsLaw, request.CitedLaw);
    }

    [Fact]
    public async Task DropFolder_TakesInEmlAndMboxAndMovesThemAside()
    {
        await using var services = database.BuildServices();
        var watcher = ActivatorUtilities.CreateInstance<DropFolderWatcher>(services);
        Directory.CreateDirectory(watcher.Folder);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "TestData", "mail", "new-request-html-only.eml"), Path.Combine(watcher.Folder, "one.eml"), overwrite: true);
        await File.WriteAllBytesAsync(Path.Combine(watcher.Folder, "two.mbox"),
            "From a@b Mon Apr 13 09:00:00 2026\nFrom: Ann <ann@mbox.example>\nSubject: Mbox one\nMessage-ID: <m1@mbox.example>\n\nSend the bus schedule.\n\nFrom a@b Mon Apr 13 09:01:00 2026\nFrom: Ben <ben@mbox.example>\nSubject: Mbox two\nMessage-ID: <m2@mbox.example>\n\nSend the lunch menus.\n"u8.ToArray());

        var count = await watcher.ProcessFolderAsync(CancellationToken.None);

        Assert.Equal(3, count);
        Assert.Empty(Directory.EnumerateFiles(watcher.Folder));
        Assert.Equal(2, Directory.EnumerateFiles(Path.Combine(watcher.Folder, "processed")).Count());
        Assert.Equal(2, await database.ScalarAsync("SELECT count(*) FROM inbound_messages WHERE source = 'DropFolder' AND subject LIKE 'Mbox %' AND classification = 'Request'"));
    }

    [Fact]
    public async Task ImapPoller_RealDovecot_TakesInNewMailAndFlagsItWithoutDeleting()
    {
        var imap = ImapServer.FromEnvironment();
        await using var services = database.BuildServices();
        var options = new IntakeOptions { Imap = { Host = imap.Host, Port = imap.Port, Security = "None", User = imap.User, Password = imap.Password, Folder = "INBOX" } };
        var subject = $"IMAP request {Guid.NewGuid():N}";
        using var client = new ImapClient();
        await ImapIntakePoller.ConnectAsync(client, options.Imap, CancellationToken.None);
        var inbox = client.Inbox;
        await inbox.OpenAsync(FolderAccess.ReadWrite);
        await inbox.AppendAsync(new AppendRequest(MimeMessage.Load(new MemoryStream(IntakeTestMail.NewRequest("Val <val@imap.example>", subject,
            "Please send the 2025 field trip approvals."))), MessageFlags.None));
        await inbox.AppendAsync(new AppendRequest(MimeMessage.Load(new MemoryStream(IntakeTestMail.Load("auto-reply-out-of-office.eml"))), MessageFlags.None));
        var poller = new ImapIntakePoller(services.GetRequiredService<IServiceScopeFactory>(), Options.Create(options), NullLogger<ImapIntakePoller>.Instance);

        var first = await poller.PollOnceAsync(client, inbox, CancellationToken.None);
        var second = await poller.PollOnceAsync(client, inbox, CancellationToken.None);

        Assert.True(first >= 2);
        Assert.Equal(0, second);
        await inbox.OpenAsync(FolderAccess.ReadOnly);
        var ours = await inbox.SearchAsync(SearchQuery.SubjectContains(subject));
        Assert.Single(ours);
        var summary = (await inbox.FetchAsync(ours, new FetchRequest(MessageSummaryItems.Flags))).Single();
        Assert.Contains(ImapIntakePoller.ProcessedKeyword, summary.Keywords);
        Assert.True(summary.Flags!.Value.HasFlag(MessageFlags.Seen));
        await client.DisconnectAsync(quit: true);

        await using var scope = services.CreateAsyncScope();
        var inbound = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Set<InboundMessage>().SingleAsync(m => m.Subject == subject);
        Assert.Equal(IntakeClassification.Request, inbound.Classification);
        Assert.Equal(IntakeSource.Imap, inbound.Source);
    }
    [Fact]
    public async Task ImapPoller_StoresAndSyncsThePollsMessagesTogether_BeforeFlaggingThem()
    {
        var imap = ImapServer.FromEnvironment();
        await using var services = database.BuildServices();
        var options = new IntakeOptions { Imap = { Host = imap.Host, Port = imap.Port, Security = "None", User = imap.User, Password = imap.Password, Folder = "INBOX" } };
        var subject = $"IMAP batch {Guid.NewGuid():N}";
        using var client = new ImapClient();
        await ImapIntakePoller.ConnectAsync(client, options.Imap, CancellationToken.None);
        var inbox = client.Inbox;
        await inbox.OpenAsync(FolderAccess.ReadWrite);
        for (var i = 0; i < 5; i++)
        {
            await inbox.AppendAsync(new AppendRequest(MimeMessage.Load(new MemoryStream(IntakeTestMail.NewRequest($"Val{i} <val{i}@imap.example>", $"{subject} {i}",
                $"Please send the 2025 field trip approvals for school {i}."))), MessageFlags.None));
        }
        var poller = new ImapIntakePoller(services.GetRequiredService<IServiceScopeFactory>(), Options.Create(options), NullLogger<ImapIntakePoller>.Instance);
        var store = services.GetRequiredService<Features.Records.ContentStore>();
        var syncsBefore = store.Syncs;

        await poller.PollOnceAsync(client, inbox, CancellationToken.None);

        // One sync made the five originals durable; none of the five asked for its own.
        Assert.Equal(1, store.Syncs - syncsBefore);
        Assert.Equal(5, await database.ScalarAsync($"SELECT count(*) FROM inbound_messages WHERE source = 'Imap' AND subject LIKE '{subject} %' AND classification = 'Request'"));
        await inbox.OpenAsync(FolderAccess.ReadOnly);
        var ours = await inbox.SearchAsync(SearchQuery.SubjectContains(subject));
        var flagged = await inbox.FetchAsync(ours, new FetchRequest(MessageSummaryItems.Flags));
        Assert.Equal(5, flagged.Count(m => m.Keywords.Contains(ImapIntakePoller.ProcessedKeyword)));
        await client.DisconnectAsync(quit: true);
    }

    [Fact]
    public async Task SmtpDelivery_IsNotAcknowledged_UntilItsBytesAreStored_AndTheSendersRetryIsTakenIn()
    {
        // A data folder of its own whose content store cannot be written: where the originals go is a file, not a folder.
        var data = Directory.CreateTempSubdirectory("smtp-unstorable-").FullName;
        var blocked = Path.Combine(data, "content");
        await File.WriteAllTextAsync(blocked, "in the way");
        try
        {
            await using var services = database.BuildServices(settings: [new("Records:DataPath", data)]);
            var options = new IntakeOptions { Smtp = { Enabled = true, Port = FreePort() } };
            var listener = new SmtpIntakeListener(services.GetRequiredService<IServiceScopeFactory>(), Options.Create(options), NullLogger<SmtpIntakeListener>.Instance);
            await listener.StartAsync(CancellationToken.None);
            var subject = $"SMTP unstorable {Guid.NewGuid():N}";
            var message = new MimeMessage { Subject = subject, Body = new TextPart("plain") { Text = "Under c. 66, please send the 2025 bus contracts." } };
            message.From.Add(new MailboxAddress("Robin Requester", "robin@smtp.example"));
            message.To.Add(new MailboxAddress("Records", "records@demo-district.example"));
            try
            {
                using var client = new SmtpClient();
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        await client.ConnectAsync("127.0.0.1", options.Smtp.Port, MailKit.Security.SecureSocketOptions.None);
                        break;
                    }
                    catch (SocketException) when (attempt < 100)
                    {
                        await Task.Delay(100);
                    }
                }
                var refused = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(message));
                Assert.True((int)refused.StatusCode is >= 400 and < 500, $"A temporary refusal lets the sender retry; got {(int)refused.StatusCode}.");
                Assert.Equal(0, await database.ScalarAsync($"SELECT count(*) FROM inbound_messages WHERE subject = '{subject}'"));

                // The disk is fixed; the sending server tries again, as a 4xx answer told it to.
                File.Delete(blocked);
                await client.SendAsync(message);
                await client.DisconnectAsync(quit: true);
            }
            finally
            {
                await listener.StopAsync(CancellationToken.None);
            }
            Assert.Equal(1, await database.ScalarAsync($"SELECT count(*) FROM inbound_messages WHERE subject = '{subject}' AND classification = 'Request'"));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}

/// <summary>The IMAP server ops/test starts (dovecot on loopback), named by RECORDS_TEST_IMAP.</summary>
internal sealed record ImapServer(string Host, int Port, string User, string Password)
{
    public static ImapServer FromEnvironment()
    {
        var value = Environment.GetEnvironmentVariable("RECORDS_TEST_IMAP")
            ?? throw new InvalidOperationException(
                "RECORDS_TEST_IMAP is not set. Run the tests with ops/test, which installs dovecot-imapd and starts it on a loopback port, or start " +
                "an IMAP server yourself (see start_dovecot in ops/lib.sh) and set RECORDS_TEST_IMAP=\"Host=127.0.0.1;Port=N;User=U;Password=P\".");
        var parts = value.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);
        return new ImapServer(parts["Host"], int.Parse(parts["Port"], System.Globalization.CultureInfo.InvariantCulture), parts["User"], parts["Password"]);
    }
}
