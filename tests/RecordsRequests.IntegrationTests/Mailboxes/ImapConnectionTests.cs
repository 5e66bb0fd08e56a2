using MailKit;
using MailKit.Net.Imap;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using RecordsRequests.Data;
using RecordsRequests.Features.Intake;
using RecordsRequests.Features.Mailboxes;
using RecordsRequests.IntegrationTests.Infrastructure;
using RecordsRequests.IntegrationTests.Intake;

namespace RecordsRequests.IntegrationTests.Mailboxes;

/// <summary>An IMAP connection with a password (the legacy kind), against the dovecot that ops/test starts, each test in a folder of its own.</summary>
[Collection(Lanes.Mail)]
public sealed class ImapConnectionTests(TestDatabase database) : IAsyncLifetime
{
    private readonly ImapServer _imap = ImapServer.FromEnvironment();
    private readonly string _folder = $"Records-{Guid.NewGuid():N}";

    public Task InitializeAsync() => database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<ImapClient> OpenAsync()
    {
        var client = new ImapClient();
        await client.ConnectAsync(_imap.Host, _imap.Port, MailKit.Security.SecureSocketOptions.None);
        await client.AuthenticateAsync(_imap.User, _imap.Password);
        return client;
    }

    private async Task<List<string>> AppendAsync(string run, int from, int count)
    {
        using var client = await OpenAsync();
        var folder = client.GetFolder(client.PersonalNamespaces[0]);
        var target = (await folder.GetSubfoldersAsync()).FirstOrDefault(f => f.Name == _folder) ?? (await folder.CreateAsync(_folder, isMessageFolder: true))!;
        var ids = new List<string>();
        for (var n = from; n < from + count; n++)
        {
            var raw = MailboxConnectionTests.Request(run, n);
            await target.AppendAsync(MimeMessage.Load(new MemoryStream(raw)), MessageFlags.None);
            ids.Add(MailboxConnectionTests.MessageIdOf(raw));
        }
        await client.DisconnectAsync(true);
        return ids;
    }

    /// <summary>Many messages with one command (MULTIAPPEND), for a folder of several pages.</summary>
    private async Task<List<string>> AppendManyAsync(string run, int from, int count)
    {
        using var client = await OpenAsync();
        var target = await client.GetFolderAsync(_folder);
        var raws = Enumerable.Range(from, count).Select(n => MailboxConnectionTests.Request(run, n)).ToList();
        await target.AppendAsync(raws.Select(raw => (IAppendRequest)new AppendRequest(MimeMessage.Load(new MemoryStream(raw)), MessageFlags.None)).ToList());
        await client.DisconnectAsync(true);
        return raws.Select(MailboxConnectionTests.MessageIdOf).ToList();
    }

    /// <summary>Every message flagged processed on the server has been taken in (its outcome committed): nothing is acknowledged early.</summary>
    private async Task<int> AssertFlaggedOnlyWhenTakenInAsync(IServiceProvider services)
    {
        using var client = await OpenAsync();
        var folder = await client.GetFolderAsync(_folder);
        await folder.OpenAsync(FolderAccess.ReadOnly);
        var flagged = (await folder.FetchAsync(0, -1, MessageSummaryItems.Flags | MessageSummaryItems.Envelope))
            .Where(s => s.Keywords.Contains(ImapIntakePoller.ProcessedKeyword)).Select(s => s.Envelope!.MessageId).ToList();
        await client.DisconnectAsync(true);
        await using var scope = services.CreateAsyncScope();
        var takenIn = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Set<InboundMessage>().AsNoTracking()
            .Where(m => flagged.Contains(m.InternetMessageId!) && m.Classification != IntakeClassification.Pending).Select(m => m.InternetMessageId).Distinct().CountAsync();
        Assert.Equal(flagged.Count, takenIn);
        return flagged.Count;
    }

    /// <summary>
    /// A connection to this test's folder, holding one message, polled once, and then <paramref name="thenAppended"/> more
    /// messages in the folder: where the kill tests and the tests of several pages start.
    /// </summary>
    private async Task<(MailboxConnection Connection, MailboxIntake Intake, List<string> Ids)> PolledOnceAsync(IServiceProvider services, string run,
        int thenAppended = 0)
    {
        var ids = await AppendAsync(run, 1, 1);
        var connection = await AddAsync(services);
        var intake = services.GetRequiredService<MailboxIntake>();
        await intake.PollAsync(connection.Id, CancellationToken.None);
        if (thenAppended > 0)
        {
            ids.AddRange(await AppendManyAsync(run, 2, thenAppended));
        }
        return (connection, intake, ids);
    }

    private async Task<MailboxConnection> AddAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<MailboxConnections>().AddAsync(new NewMailboxConnection($"Other mail server {_folder}",
            MailboxKind.ImapPassword, _imap.User, new MailboxEndpoint(null, null, _imap.Host, _imap.Port, null, 0, "None", _folder),
            IsRecordsInbox: true, SendsOutgoingMail: false, Password: _imap.Password), CancellationToken.None);
    }

    [Fact]
    public async Task ImapWithPassword_TakesInAboveTheStoredUid_FlagsAndKeepsEveryMessage()
    {
        await using var services = database.BuildServices();
        var run = Guid.NewGuid().ToString("N")[..8];
        var ids = await AppendAsync(run, 1, 4);
        var connection = await AddAsync(services);
        var intake = services.GetRequiredService<MailboxIntake>();

        Assert.Equal(4, await intake.PollAsync(connection.Id, CancellationToken.None));
        ids.AddRange(await AppendAsync(run, 5, 2));
        Assert.Equal(2, await intake.PollAsync(connection.Id, CancellationToken.None));
        Assert.Equal(0, await intake.PollAsync(connection.Id, CancellationToken.None));

        await MailboxConnectionTests.AssertEachOnceAsync(services, ids, IntakeSource.Imap);
        await using (var scope = services.CreateAsyncScope())
        {
            var checkpoint = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Set<MailboxCheckpoint>().AsNoTracking().SingleAsync(c => c.ConnectionId == connection.Id);
            Assert.Matches(@"^\d+:\d+$", checkpoint.Position);
            Assert.Null(checkpoint.LastError);
        }
        using var client = await OpenAsync();
        var folder = await client.GetFolderAsync(_folder);
        await folder.OpenAsync(FolderAccess.ReadOnly);
        Assert.Equal(6, folder.Count);
        var summaries = await folder.FetchAsync(0, -1, MessageSummaryItems.Flags);
        Assert.All(summaries, s => Assert.Contains(ImapIntakePoller.ProcessedKeyword, s.Keywords));
        Assert.All(summaries, s => Assert.True(s.Flags!.Value.HasFlag(MessageFlags.Seen)));
    }

    [Fact]
    public async Task ImapIntakeKilledAtRandomPointsAndRestarted_TakesInEveryMessageExactlyOnce()
    {
        await using var services = database.BuildServices();
        var run = Guid.NewGuid().ToString("N")[..8];
        // How long a round of a few messages takes here and now (intake's speed and the machine's load both vary), so the
        // kills can be spread over a round: the first poll opens the connection, the second is timed, and every round that
        // finishes before its kill times the rounds again (a round timed while the machine was busy would leave later
        // rounds finishing before their kills).
        var (connection, intake, ids) = await PolledOnceAsync(services, run);
        ids.AddRange(await AppendAsync(run, ids.Count + 1, 3));
        var timed = System.Diagnostics.Stopwatch.StartNew();
        await intake.PollAsync(connection.Id, CancellationToken.None);
        var roundMilliseconds = Math.Max(1, (int)timed.ElapsedMilliseconds);
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var killed = 0;
        var rounds = 0;
        for (; rounds < 60 && killed < 10; rounds++)
        {
            ids.AddRange(await AppendAsync(run, ids.Count + 1, random.Next(2, 6)));
            using var kill = new CancellationTokenSource(TimeSpan.FromMilliseconds(random.Next(0, roundMilliseconds)));
            timed.Restart();
            try
            {
                await intake.PollAsync(connection.Id, kill.Token);
                roundMilliseconds = Math.Max(1, (int)timed.ElapsedMilliseconds);
            }
            catch (Exception) when (kill.IsCancellationRequested)
            {
                killed++;
            }
        }
        await intake.PollAsync(connection.Id, CancellationToken.None);
        Assert.True(killed >= 10, $"only {killed} of {rounds} rounds were killed before they finished (seed {seed}, the last round that finished took {roundMilliseconds} ms)");
        await MailboxConnectionTests.AssertEachOnceAsync(services, ids, IntakeSource.Imap);
    }

    [Fact]
    public async Task APollOfSeveralPages_HasStartedEveryRequestsLifecycle_WhenItReturns()
    {
        await using var services = database.BuildServices();
        var run = Guid.NewGuid().ToString("N")[..8];
        // Three pages: what follows a page's commit (its requests' lifecycles started) runs while the next is decided.
        var more = 2 * MailPages.MaxMessages + 50;
        var (connection, intake, _) = await PolledOnceAsync(services, run, thenAppended: more);

        Assert.Equal(more, await intake.PollAsync(connection.Id, CancellationToken.None));

        Assert.Equal(1 + more, await database.ScalarAsync($"SELECT count(*) FROM requests WHERE description LIKE '%of run {run}.'"));
        Assert.Equal(1 + more, await database.ScalarAsync(
            $"SELECT count(*) FROM requests r WHERE r.description LIKE '%of run {run}.' AND EXISTS (SELECT 1 FROM workflow.instances w WHERE w.reference = r.id::text)"));
    }

    [Fact]
    public async Task PagesTakenInWhileTheOneBeforeIsDecided_KilledMidway_FlagOnlyWhatIsTakenIn_AndTakeEachOnce()
    {
        await using var services = database.BuildServices();
        var run = Guid.NewGuid().ToString("N")[..8];
        // Three pages: each is recorded while the one before it is decided and committed.
        var more = 2 * MailPages.MaxMessages + 100;
        var (connection, intake, ids) = await PolledOnceAsync(services, run, thenAppended: more);
        var partly = 0;
        for (var round = 1; round <= 60; round++)
        {
            using var kill = new CancellationTokenSource(TimeSpan.FromMilliseconds(75 * round));
            try
            {
                await intake.PollAsync(connection.Id, kill.Token);
                break;
            }
            catch (Exception) when (kill.IsCancellationRequested)
            {
                var flagged = await AssertFlaggedOnlyWhenTakenInAsync(services);
                partly += flagged > 1 && flagged < 1 + more ? 1 : 0;
            }
        }
        await intake.PollAsync(connection.Id, CancellationToken.None);

        Assert.True(partly > 0, "no poll was killed part way through the pages");
        Assert.Equal(1 + more, await AssertFlaggedOnlyWhenTakenInAsync(services));
        await MailboxConnectionTests.AssertEachOnceAsync(services, ids, IntakeSource.Imap);
    }
}
