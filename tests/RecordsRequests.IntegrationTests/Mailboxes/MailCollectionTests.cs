using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RecordsRequests.Data;
using RecordsRequests.Features.Archive;
using RecordsRequests.Features.Audit;
using RecordsRequests.Features.Mailboxes;
using RecordsRequests.Features.Requests;
using RecordsRequests.Features.Workspace;
using RecordsRequests.Hosting;
using RecordsRequests.IntegrationTests.Infrastructure;
using RecordsRequests.IntegrationTests.Reports;

namespace RecordsRequests.IntegrationTests.Mailboxes;

/// <summary>
/// Collecting a custodian's mail for a request from Microsoft 365 (Graph) and Google Workspace (Gmail API) into the
/// archive, against <see cref="ProviderDouble"/> with tokens from MSAL and Google.Apis.Auth, the real importer, index
/// and PostgreSQL.
/// </summary>
[Collection(Lanes.Mail)]
public sealed class MailCollectionTests(TestDatabase database) : IAsyncLifetime
{
    public Task InitializeAsync() => database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private const string Officer = "officer.collects@district.example";
    private static readonly DateOnly First = new(2025, 1, 1);
    private static readonly DateOnly Last = new(2025, 6, 30);

    /// <summary>A staff member's message as the mailbox holds it, received at <paramref name="received"/>.</summary>
    internal static byte[] StaffMail(string run, int n, string subject, string body, DateTimeOffset received) => Encoding.UTF8.GetBytes(
        $"From: Lee Principal <lee.principal@district.example>\r\nTo: School Committee <committee@district.example>\r\nSubject: {subject} ({run} #{n})\r\n"
        + $"Date: {received:R}\r\nMessage-ID: <{run}-{n}-{Guid.NewGuid():N}@district.example>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body} Run {run}.\r\n");

    /// <summary>The staff message arrives in the mailbox at the time its Date header gives.</summary>
    internal static FakeMessage Receive(FakeMailbox box, string run, int n, string subject, string body, DateTimeOffset received) =>
        box.Deliver(StaffMail(run, n, subject, body, received), received);

    internal static async Task<MailboxConnection> ConnectAsync(IServiceProvider services, MailboxKind kind, string run, ProviderDouble provider)
    {
        await using var scope = services.CreateAsyncScope();
        var words = kind == MailboxKind.Microsoft365 ? "District Microsoft 365" : "District Google Workspace";
        return await scope.ServiceProvider.GetRequiredService<MailboxConnections>().AddAsync(new NewMailboxConnection($"{words} {run}", kind, $"records-{run}@district.example",
            new MailboxEndpoint(ProviderDouble.Tenant, ProviderDouble.ClientId, null, 0, null, 0, "Auto", "INBOX"), IsRecordsInbox: false, SendsOutgoingMail: false,
            ClientSecret: kind == MailboxKind.Microsoft365 ? ProviderDouble.ClientSecret : null, Certificate: null,
            ServiceAccountKeyJson: kind == MailboxKind.GoogleWorkspace ? provider.ServiceAccountKeyJson : null), CancellationToken.None);
    }

    internal static async Task<MailCollection> QueueAsync(IServiceProvider services, Request request, MailboxConnection connection, string custodian, string terms)
    {
        await using var scope = services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<HttpOrSystemActor>().SystemName = Officer;
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var collection = MailCollection.Queue(request, connection, custodian, First, Last, terms, Officer, DateTimeOffset.UtcNow);
        db.Add(collection);
        db.Add(MailCollectionProgress.Start(collection.Id));
        await db.SaveChangesAsync();
        return collection;
    }

    internal static async Task RunAsync(IServiceProvider services, Guid collectionId, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<MailCollectionJob>().RunAsync(collectionId, cancellationToken);
    }

    internal static async Task<MailCollection> ReadAsync(IServiceProvider services, Guid collectionId)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Set<MailCollection>().AsNoTracking().SingleAsync(c => c.Id == collectionId);
    }

    /// <summary>How many archive items hold each Message-ID.</summary>
    private static async Task<Dictionary<string, int>> ItemsPerMessageIdAsync(IServiceProvider services, IEnumerable<string> messageIds)
    {
        await using var scope = services.CreateAsyncScope();
        var ids = messageIds.ToList();
        var found = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Set<ArchiveItem>().AsNoTracking()
            .Where(i => ids.Contains(i.MessageId!)).Select(i => i.MessageId!).ToListAsync();
        return ids.ToDictionary(id => id, id => found.Count(f => f == id));
    }

    private static DateTimeOffset At(int month, int day) => new(2025, month, day, 15, 30, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(MailboxKind.Microsoft365)]
    [InlineData(MailboxKind.GoogleWorkspace)]
    public async Task Collection_BringsACustodiansMatchingMailIntoTheArchive_OnceEach_WithProvenanceAndAudit(MailboxKind kind)
    {
        await using var provider = await ProviderDouble.StartAsync();
        await using var services = database.BuildServices(settings: provider.Settings());
        var run = Guid.NewGuid().ToString("N")[..8];
        var custodian = $"lee-{run}@district.example";
        var box = provider.Mailbox(custodian);
        provider.AccessPolicy.Add(custodian);
        var wanted = Enumerable.Range(1, 7).Select(n => Receive(box, run, n, "Bus contract renewal", "The bus contract for next year is attached.", At((n % 6) + 1, n + 2))).ToList();
        var otherTopic = Receive(box, run, 20, "Cafeteria menu", "Tacos on Tuesday.", At(2, 10));
        var tooEarly = Receive(box, run, 21, "Bus contract draft", "The bus contract draft.", new DateTimeOffset(2024, 12, 31, 12, 0, 0, TimeSpan.Zero));
        var tooLate = Receive(box, run, 22, "Bus contract signed", "The bus contract, signed.", new DateTimeOffset(2025, 7, 1, 14, 0, 0, TimeSpan.Zero));
        // One of the wanted messages is in the archive already, from an export IT imported before.
        var export = Directory.CreateTempSubdirectory("collection-export-");
        await File.WriteAllBytesAsync(Path.Combine(export.FullName, "already.eml"), wanted[0].Raw);
        await using (var scope = services.CreateAsyncScope())
        {
            Assert.Equal(1, (await scope.ServiceProvider.GetRequiredService<ArchiveImporter>().ImportAsync(export.FullName, $"it-export-{run}", null, CancellationToken.None)).NewItems);
        }
        provider.ThrottleEvery = 5;
        provider.TokenUses = 6;
        var connection = await ConnectAsync(services, kind, run, provider);
        var request = await ReportsTests.SeedRequestAsync(services, $"pat-{run}@public.example", DateTimeOffset.UtcNow);

        var collection = await QueueAsync(services, request, connection, custodian, "bus contract");
        await RunAsync(services, collection.Id);

        var done = await ReadAsync(services, collection.Id);
        Assert.True(done.Status == MailCollectionStatus.Finished, $"{done.Status}: {done.Outcome}\n{string.Join("\n", provider.Requests)}");
        Assert.Equal(7, done.Messages);
        Assert.Equal(6, done.NewToArchive);
        Assert.Equal(0, done.Failed);
        Assert.Null(done.Outcome);
        Assert.Empty(provider.Failures);
        Assert.True(provider.Throttled > 0, "the double throttled at least once");
        Assert.True(provider.ExpiredRefusals > 0, "the double refused an expired token at least once");

        var wantedIds = wanted.Select(m => MailboxConnectionTests.MessageIdOf(m.Raw)).ToList();
        Assert.All(await ItemsPerMessageIdAsync(services, wantedIds), pair => Assert.Equal(1, pair.Value));
        Assert.All(await ItemsPerMessageIdAsync(services, new[] { otherTopic, tooEarly, tooLate }.Select(m => MailboxConnectionTests.MessageIdOf(m.Raw))),
            pair => Assert.Equal(0, pair.Value));

        // Searchable like imported mail, under the custodian's name; the message imported before now lists both custodians.
        var search = services.GetRequiredService<ArchiveSearch>();
        var hits = search.Search(new ArchiveQuery($"contract AND {run}", Custodian: custodian, PageSize: 50)).Hits;
        Assert.Equal(wantedIds.Order(), hits.Select(h => h.MessageId!).Order());
        Assert.Equal(new[] { $"it-export-{run}", custodian }, hits.Single(h => h.MessageId == wantedIds[0]).Custodians.Order());

        // Audited with the request: who asked for which mailbox, the search and range; and how many messages came in.
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var audit = await db.Set<AuditEvent>().AsNoTracking().Where(e => e.EntityType == nameof(MailCollection) && e.RequestId == request.Id)
                .OrderBy(e => e.Id).ToListAsync();
            var created = audit.First();
            Assert.Equal("MailCollection.Created", created.Action);
            Assert.Equal(Officer, created.Actor);
            var asked = created.After!.RootElement;
            Assert.Equal(custodian, asked.GetProperty("Custodian").GetString());
            Assert.Equal("bus contract", asked.GetProperty("Terms").GetString());
            Assert.Equal("2025-01-01", asked.GetProperty("FromDate").GetString());
            Assert.Equal("2025-06-30", asked.GetProperty("ToDate").GetString());
            Assert.Equal(connection.Name, asked.GetProperty("ConnectionName").GetString());
            var finished = audit.Last();
            Assert.Equal("MailCollection.StatusChanged", finished.Action);
            Assert.Equal(7, finished.After!.RootElement.GetProperty("Messages").GetInt32());
            var timeline = await Timeline.LoadAsync(db, request.Id, new Dictionary<string, string>(), CancellationToken.None);
            Assert.Contains(timeline, e => e.What == $"Mail collection asked for: {custodian}" && e.Actor == Officer && e.Detail.Contains("search “bus contract”", StringComparison.Ordinal));
            Assert.Contains(timeline, e => e.What == "Mail collection finished" && e.Detail == "7 messages in the archive, 6 new to it");
        }

        // Collecting the same mail again adds nothing to the archive.
        var again = await QueueAsync(services, request, connection, custodian, "bus contract");
        await RunAsync(services, again.Id);
        var second = await ReadAsync(services, again.Id);
        Assert.Equal(MailCollectionStatus.Finished, second.Status);
        Assert.Equal(7, second.Messages);
        Assert.Equal(0, second.NewToArchive);
        Assert.All(await ItemsPerMessageIdAsync(services, wantedIds), pair => Assert.Equal(1, pair.Value));
        export.Delete(recursive: true);
    }

    [Fact]
    public async Task Microsoft365_WithoutTerms_CollectsEveryMessageInTheRange_AndAProviderRefusalStopsItInWords()
    {
        await using var provider = await ProviderDouble.StartAsync();
        await using var services = database.BuildServices(settings: provider.Settings());
        var run = Guid.NewGuid().ToString("N")[..8];
        var custodian = $"dana-{run}@district.example";
        var box = provider.Mailbox(custodian);
        var inRange = Enumerable.Range(1, 5).Select(n => Receive(box, run, n, $"Note {n}", "Anything at all.", At(n, 20))).ToList();
        Receive(box, run, 9, "Note 9", "Out of range.", new DateTimeOffset(2025, 7, 2, 9, 0, 0, TimeSpan.Zero));
        var connection = await ConnectAsync(services, MailboxKind.Microsoft365, run, provider);
        var request = await ReportsTests.SeedRequestAsync(services, $"pat-{run}@public.example", DateTimeOffset.UtcNow);

        // The mailbox is not yet in the application access policy: the collection stops and says so.
        var collection = await QueueAsync(services, request, connection, custodian, "");
        await RunAsync(services, collection.Id);
        var stopped = await ReadAsync(services, collection.Id);
        Assert.Equal(MailCollectionStatus.Stopped, stopped.Status);
        Assert.Contains($"The mailbox {custodian} is not in the application access policy", stopped.Outcome, StringComparison.Ordinal);

        // Once IT adds it, resuming collects every message received in the range.
        provider.AccessPolicy.Add(custodian);
        await RunAsync(services, collection.Id);
        var done = await ReadAsync(services, collection.Id);
        Assert.Equal(MailCollectionStatus.Finished, done.Status);
        Assert.Equal(5, done.Messages);
        Assert.All(await ItemsPerMessageIdAsync(services, inRange.Select(m => MailboxConnectionTests.MessageIdOf(m.Raw))), pair => Assert.Equal(1, pair.Value));
        Assert.Contains(provider.Requests, r => r.StartsWith("GET /v1.0/users/", StringComparison.Ordinal) && r.Contains("$filter=receivedDateTime", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(MailboxKind.Microsoft365)]
    [InlineData(MailboxKind.GoogleWorkspace)]
    public async Task CollectionKilledAtRandomPointsAndRestarted_BringsEveryMessageInExactlyOnce(MailboxKind kind)
    {
        await using var provider = await ProviderDouble.StartAsync();
        await using var services = database.BuildServices(settings: provider.Settings());
        var run = Guid.NewGuid().ToString("N")[..8];
        var custodian = $"kim-{run}@district.example";
        var box = provider.Mailbox(custodian);
        provider.AccessPolicy.Add(custodian);
        var messages = Enumerable.Range(1, 90).Select(n => Receive(box, run, n, "Budget hearing", "Notes on the budget hearing.", At(1 + (n % 6), 1 + (n % 27)))).ToList();
        provider.ThrottleEvery = 13;
        var connection = await ConnectAsync(services, kind, run, provider);
        var request = await ReportsTests.SeedRequestAsync(services, $"pat-{run}@public.example", DateTimeOffset.UtcNow);
        var collection = await QueueAsync(services, request, connection, custodian, kind == MailboxKind.Microsoft365 ? "" : "budget");
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var killed = 0;
        for (var round = 0; round < 60 && killed < 12; round++)
        {
            using var kill = new CancellationTokenSource(TimeSpan.FromMilliseconds(random.Next(0, 200)));
            try
            {
                await RunAsync(services, collection.Id, kill.Token);
            }
            catch (Exception) when (kill.IsCancellationRequested)
            {
                killed++;
            }
            if ((await ReadAsync(services, collection.Id)).Status == MailCollectionStatus.Finished)
            {
                break;
            }
        }
        await RunAsync(services, collection.Id);

        var done = await ReadAsync(services, collection.Id);
        Assert.True(done.Status == MailCollectionStatus.Finished, $"seed {seed}: {done.Status}: {done.Outcome}");
        Assert.True(killed >= 10, $"only {killed} runs were killed before the collection finished (seed {seed})");
        Assert.Empty(provider.Failures);
        var ids = messages.Select(m => MailboxConnectionTests.MessageIdOf(m.Raw)).ToList();
        var counts = await ItemsPerMessageIdAsync(services, ids);
        Assert.True(counts.All(c => c.Value == 1), $"seed {seed}: " + string.Join(", ", counts.Where(c => c.Value != 1).Select(c => $"{c.Key} ×{c.Value}")));
        Assert.Equal(90, done.Messages);
        Assert.Equal(90, done.NewToArchive);
        await using var scope = services.CreateAsyncScope();
        var folder = scope.ServiceProvider.GetRequiredService<MailCollectionJob>().FolderOf(collection.Id);
        var sources = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Set<ArchiveItemSource>().AsNoTracking()
            .Where(s => s.SourceFile.StartsWith(folder)).ToListAsync();
        Assert.Equal(90, sources.Count);
        Assert.Equal(90, sources.Select(s => s.ItemId).Distinct().Count());
        Assert.All(sources, s => Assert.Equal(custodian, s.Custodian));
    }
}
