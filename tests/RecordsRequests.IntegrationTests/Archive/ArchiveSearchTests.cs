using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RecordsRequests.Data;
using RecordsRequests.Features.Archive;
using RecordsRequests.IntegrationTests.Infrastructure;

namespace RecordsRequests.IntegrationTests.Archive;

[Collection(Lanes.Archive)]
public sealed class ArchiveSearchTests(TestDatabase database) : IDisposable, IAsyncLifetime
{
    /// <summary>Each test starts from the migrated database: what an earlier test left is gone.</summary>
    public Task InitializeAsync() => database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private readonly ArchiveFixture _mail = new();

    public void Dispose() => _mail.Dispose();

    private async Task<ImportReport> ImportAsync(IServiceProvider services, string path, string custodian)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ArchiveImporter>().ImportAsync(path, custodian, null, CancellationToken.None);
    }

    private static ArchiveResult Search(IServiceProvider services, ArchiveQuery query) => services.GetRequiredService<ArchiveSearch>().Search(query);

    [Fact]
    public async Task KnownItem_IsFoundByItsMessageId_WithItsProvenance()
    {
        await using var services = database.BuildServices();
        var report = await ImportAsync(services, _mail.Principal, _mail.PrincipalCustodian);
        Assert.Equal(4, report.NewItems);
        Assert.Empty(report.Failures);

        var result = Search(services, new ArchiveQuery($"messageid:\"<{_mail.MessageId("budget")}>\""));

        var hit = Assert.Single(result.Hits);
        Assert.Equal(1, result.TotalHits);
        Assert.Equal($"FY25 budget draft {_mail.Token}", hit.Subject);
        Assert.Equal([_mail.PrincipalCustodian], hit.Custodians);
        Assert.Equal(new DateTimeOffset(2024, 3, 5, 14, 15, 0, TimeSpan.Zero), hit.Date);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var item = await db.Set<ArchiveItem>().Include(i => i.Sources).SingleAsync(i => i.Id == hit.Id);
        var source = Assert.Single(item.Sources);
        Assert.Equal(Path.Combine(_mail.Principal, "budget.eml"), source.SourceFile);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(source.SourceFile))), item.Sha256);
        Assert.Equal(1, item.AttachmentCount);
    }

    [Fact]
    public async Task Phrase_MatchesOnlyTheWordsInThatOrder_AndDateRangeIsInclusiveInDistrictTime()
    {
        await using var services = database.BuildServices();
        await ImportAsync(services, _mail.Principal, _mail.PrincipalCustodian);

        var phrase = Search(services, new ArchiveQuery($"\"bus transportation contract\" AND {_mail.Token}", Sort: ArchiveSort.OldestFirst));
        Assert.Equal([$"Field trip transportation {_mail.Token}", $"FY25 budget draft {_mail.Token}"], phrase.Hits.Select(h => h.Subject));

        var words = Search(services, new ArchiveQuery($"bus contract renewal {_mail.Token}"));
        Assert.Equal(2, words.TotalHits);

        var proximity = Search(services, new ArchiveQuery($"\"contract bus\"~4 AND {_mail.Token}"));
        Assert.Equal(3, proximity.TotalHits);

        var in2024 = Search(services, new ArchiveQuery($"\"bus transportation contract\" AND {_mail.Token}", From: new DateOnly(2024, 1, 1), To: new DateOnly(2024, 12, 31)));
        Assert.Equal($"FY25 budget draft {_mail.Token}", Assert.Single(in2024.Hits).Subject);

        // Sent 06:05 in Boston on 15 January (11:05 UTC): inside a range ending that day, outside one ending the day before.
        Assert.Equal(1, Search(services, new ArchiveQuery($"snow AND {_mail.Token}", From: new DateOnly(2024, 1, 15), To: new DateOnly(2024, 1, 15))).TotalHits);
        Assert.Equal(0, Search(services, new ArchiveQuery($"snow AND {_mail.Token}", To: new DateOnly(2024, 1, 14))).TotalHits);

        Assert.Equal(4, Search(services, new ArchiveQuery($"{_mail.Token} AND (transport* OR quillwort)")).TotalHits);
        Assert.Equal(0, Search(services, new ArchiveQuery($"scriptword AND {_mail.Token}")).TotalHits);
        Assert.Equal(3, Search(services, new ArchiveQuery($"{_mail.Token} AND NOT quillwort")).TotalHits);
    }

    [Fact]
    public async Task IndexBuiltByAnEarlierVersion_IsRefusedWithTheFix_UntilReindexIfOutdatedRebuildsIt()
    {
        // A private database and data folder: this test turns its index into an old one.
        var own = new TestDatabase();
        await own.InitializeAsync();
        try
        {
            var query = new ArchiveQuery($"zephyrine AND {_mail.Token}");
            await using (var services = own.BuildServices())
            {
                await ImportAsync(services, _mail.Principal, _mail.PrincipalCustodian);
                Assert.Equal(1, Search(services, query).TotalHits);
            }
            // What an index from before the catch-all field looks like: the same commit without the schema entry.
            var path = Path.Combine(own.DataPath, "archive-index");
            using (var directory = Lucene.Net.Store.FSDirectory.Open(path))
            using (var writer = new Lucene.Net.Index.IndexWriter(directory,
                new Lucene.Net.Index.IndexWriterConfig(ArchiveAnalyzer.Version, ArchiveIndex.IndexAnalyzer)))
            {
                writer.SetCommitData(writer.CommitData.Where(e => e.Key != "archive.schema").ToDictionary(e => e.Key, e => e.Value));
                writer.Commit();
            }

            await using (var services = own.BuildServices())
            {
                var refused = Assert.Throws<ArchiveIndexOutdatedException>(() => Search(services, query));
                Assert.Contains("ops/records reindex", refused.Message, StringComparison.Ordinal);
                Assert.Equal(0, await RecordsRequests.Hosting.Cli.CliRunner.RunAsync(services, ["reindex", "--if-outdated"], CancellationToken.None));
                var found = Assert.Single(Search(services, query).Hits);
                Assert.Contains("<mark>zephyrine</mark>", found.SnippetHtml, StringComparison.Ordinal);
                Assert.False(services.GetRequiredService<ArchiveIndex>().IsOutdated);
            }
        }
        finally
        {
            await own.DisposeAsync();
        }
    }

    [Fact]
    public async Task WordInAnAttachment_FindsTheParentMessage_WithAnEncodedHighlightedSnippet()
    {
        await using var services = database.BuildServices();
        await ImportAsync(services, _mail.Principal, _mail.PrincipalCustodian);

        var result = Search(services, new ArchiveQuery($"zephyrine AND {_mail.Token}"));

        var hit = Assert.Single(result.Hits);
        Assert.Equal($"FY25 budget draft {_mail.Token}", hit.Subject);
        Assert.Equal(["bus-routes.txt"], hit.AttachmentNames);
        Assert.Contains("<mark>zephyrine</mark>", hit.SnippetHtml, StringComparison.Ordinal);
        Assert.Contains("&lt;starting&gt;", hit.SnippetHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("<starting>", hit.SnippetHtml, StringComparison.Ordinal);
        Assert.Equal(1, result.Fee.Attachments);
        Assert.Equal(1, Search(services, new ArchiveQuery($"attachment:\"bus-routes.txt\" AND {_mail.Token}")).TotalHits);
    }

    [Fact]
    public async Task AWordLimitedToTheBodyOrToAttachmentText_IsFoundThereOnly_AndMarkedThere()
    {
        await using var services = database.BuildServices();
        await ImportAsync(services, _mail.Principal, _mail.PrincipalCustodian);
        IEnumerable<string> Subjects(string query) => Search(services, new ArchiveQuery($"{query} AND {_mail.Token}", Sort: ArchiveSort.OldestFirst)).Hits.Select(h => h.Subject);

        // "budget" is in the agenda's body and in the budget draft's subject only.
        var inBody = Search(services, new ArchiveQuery($"body:budget AND {_mail.Token}"));
        var hit = Assert.Single(inBody.Hits);
        Assert.Equal($"School committee agenda {_mail.Token}", hit.Subject);
        Assert.Contains("<mark>budget</mark> vote", hit.SnippetHtml, StringComparison.Ordinal);
        Assert.Equal(2, Subjects("budget").Count());

        Assert.Equal([$"FY25 budget draft {_mail.Token}"], Subjects("attachmenttext:zephyrine"));
        Assert.Empty(Subjects("body:zephyrine"));
        Assert.Equal([$"Field trip transportation {_mail.Token}", $"FY25 budget draft {_mail.Token}"], Subjects("body:\"transportation contract\""));
        Assert.Equal([$"FY25 budget draft {_mail.Token}"], Subjects("attachmenttext:zeph*"));
        Assert.Equal([$"Snow day schedule {_mail.Token}"], Subjects("body:\"contract bus\"~3 AND NOT body:\"transportation contract\""));
    }

    [Fact]
    public async Task AnImportWithADataFolderLackingTheOriginals_StopsNamingTheFolder_AndTheArchiveStaysAsItWas()
    {
        await using (var services = database.BuildServices())
        {
            Assert.Equal(4, (await ImportAsync(services, _mail.Principal, _mail.PrincipalCustodian)).NewItems);
        }
        var otherFolder = Directory.CreateTempSubdirectory("records-other-data-").FullName;
        try
        {
            await using (var misplaced = database.BuildServices(settings: [new("Records:DataPath", otherFolder)]))
            {
                var stopped = await Assert.ThrowsAsync<ArchiveOriginalMissingException>(() => ImportAsync(misplaced, _mail.Superintendent, _mail.SuperintendentCustodian));
                Assert.Contains(Path.Combine(otherFolder, "content"), stopped.Message, StringComparison.Ordinal);
                Assert.Contains("RECORDS_DATA", stopped.Message, StringComparison.Ordinal);
            }
            await using var services = database.BuildServices();
            await using var scope = services.CreateAsyncScope();
            Assert.Equal(4, await scope.ServiceProvider.GetRequiredService<AppDbContext>().Set<ArchiveItem>().CountAsync());
            Assert.Equal(4, Search(services, new ArchiveQuery(_mail.Token)).TotalHits);
        }
        finally
        {
            Directory.Delete(otherFolder, recursive: true);
        }
    }

    [Fact]
    public async Task ExactDuplicateInTwoMailboxes_IsOneItemListingBothCustodians()
    {
        await using var services = database.BuildServices();
        await ImportAsync(services, _mail.Principal, _mail.PrincipalCustodian);
        var second = await ImportAsync(services, _mail.Superintendent, _mail.SuperintendentCustodian);
        Assert.Equal(1, second.Duplicates);
        Assert.Equal(3, second.NewItems);

        var result = Search(services, new ArchiveQuery($"quillwort AND {_mail.Token}"));

        var hit = Assert.Single(result.Hits);
        Assert.Equal([_mail.PrincipalCustodian, _mail.SuperintendentCustodian], hit.Custodians.Order(StringComparer.Ordinal));
        Assert.Equal(4, Search(services, new ArchiveQuery(_mail.Token, Custodian: _mail.SuperintendentCustodian)).TotalHits);
        Assert.Equal(4, Search(services, new ArchiveQuery(_mail.Token, Custodian: _mail.PrincipalCustodian)).TotalHits);
        Assert.Equal(7, Search(services, new ArchiveQuery(_mail.Token)).TotalHits);
        Assert.Equal(1, await database.ScalarAsync($"select count(*) from archive_items where message_id = '{_mail.MessageId("agenda")}'"));
    }

    [Fact]
    public async Task ImportStoppedPartWay_ContinuesWithoutDuplicates_AndRebuildsTheLostIndex()
    {
        var mbox = Path.Combine(_mail.Superintendent, "vault-export.mbox");
        var full = await File.ReadAllTextAsync(mbox);
        // The import "was killed" after two messages: only they were saved, and the index commit never happened.
        await File.WriteAllTextAsync(mbox, full[..full.IndexOf("From superintendent@district.example Mon Mar 11", StringComparison.Ordinal)]);
        await using (var services = database.BuildServices())
        {
            Assert.Equal(3, (await ImportAsync(services, _mail.Superintendent, _mail.SuperintendentCustodian)).NewItems);
        }
        var indexPath = Path.Combine(database.DataPath, "archive-index");
        Directory.Delete(indexPath, recursive: true);
        await File.WriteAllTextAsync(mbox, full);

        await using (var services = database.BuildServices())
        {
            var resumed = await ImportAsync(services, _mail.Superintendent, _mail.SuperintendentCustodian);
            Assert.Equal((1, 3, 0), (resumed.NewItems, resumed.AlreadyImported, resumed.Duplicates));
            var again = await ImportAsync(services, _mail.Superintendent, _mail.SuperintendentCustodian);
            Assert.Equal((0, 4), (again.NewItems, again.AlreadyImported));

            Assert.Equal(4, Search(services, new ArchiveQuery(_mail.Token)).TotalHits);
            Assert.Equal(1, Search(services, new ArchiveQuery($"nasturtium AND {_mail.Token}")).TotalHits);
            Assert.Equal(1, Search(services, new ArchiveQuery($"marigold AND {_mail.Token}")).TotalHits);
        }
        Assert.Equal(4, await database.ScalarAsync($"select count(*) from archive_item_sources where custodian = '{_mail.SuperintendentCustodian}'"));
    }

    [Fact]
    public async Task Reindex_RebuildsTheSameSearchFromStoredOriginals()
    {
        await using var services = database.BuildServices();
        await ImportAsync(services, _mail.Principal, _mail.PrincipalCustodian);
        var before = Search(services, new ArchiveQuery($"{_mail.Token} AND zephyrine"));

        await using (var scope = services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ArchiveIndexer>().RebuildAsync(null, CancellationToken.None);
        }

        var after = Search(services, new ArchiveQuery($"{_mail.Token} AND zephyrine"));
        Assert.Equal(before.Hits.Select(h => (h.Id, h.Subject)), after.Hits.Select(h => (h.Id, h.Subject)));
        Assert.Equal(1, after.TotalHits);
    }

    [Fact]
    public async Task Verify_FindsEveryImportedMessageByItsMessageId_AndListsThoseNeverImported()
    {
        await using var services = database.BuildServices();
        await ImportAsync(services, _mail.Principal, _mail.PrincipalCustodian);
        var verify = new ArchiveVerifyCommand(services.GetRequiredService<ArchiveSearch>());

        var imported = await verify.VerifyAsync(_mail.Principal, CancellationToken.None);
        Assert.Equal(4, imported.Found);
        Assert.Empty(imported.Missing);

        // The superintendent's board agenda is the same message the principal holds; the mbox was never imported.
        var other = await verify.VerifyAsync(_mail.Superintendent, CancellationToken.None);
        Assert.Equal(1, other.Found);
        Assert.Equal(["mbox-one", "mbox-two", "mbox-three"], other.Missing.Select(m => m.MessageId.Split('-')[0] + "-" + m.MessageId.Split('-')[1]));
        Assert.All(other.Missing, m => Assert.EndsWith("vault-export.mbox", m.Source, StringComparison.Ordinal));
    }
}
