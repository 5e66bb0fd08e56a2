using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Archive;
using RecordsRequests.IntegrationTests.Infrastructure;

namespace RecordsRequests.IntegrationTests.Archive;

/// <summary>
/// A Google Vault mbox export with its metadata XML imported into the archive, from the browser's job and from the
/// command line: each message keeps the Vault account as custodian, its labels and Vault ids, shown on the archive
/// message page, and the archive search finds it by custodian. The fixture (TestData/vault) follows the layout a public
/// reader of real Vault exports parses, Nuix's Associate-Google-Vault-Data (GoogleXmlObjects.rb: Root/Batch/Documents/
/// Document DocId, Tags of TagName/TagDataType/TagValue, Files/File/ExternalFile FileName; GoogleMboxXref.rb: that
/// FileName is the first word of the message's "From " line in the mbox): see its README for what each file exercises.
/// </summary>
[Collection(Lanes.Browser)]
public sealed class VaultExportTests(TestDatabase database) : IAsyncLifetime
{
    private readonly string _token = $"v{Guid.NewGuid():N}"[..13];
    private readonly string _folder = Directory.CreateTempSubdirectory("vault-export-").FullName;
    private BrowserApp? _session;

    private string Lee => $"lee.principal-{_token}@district.example";
    private string Dana => $"dana.clerk-{_token}@district.example";

    public async Task InitializeAsync() => await WriteExportAsync(_folder, _token);

    /// <summary>The fixture export with this run's token, into a folder.</summary>
    internal static async Task WriteExportAsync(string folder, string token)
    {
        var source = Path.Combine(AppContext.BaseDirectory, "TestData", "vault");
        foreach (var file in Directory.EnumerateFiles(source).Where(f => !f.EndsWith("README.md", StringComparison.Ordinal)))
        {
            await File.WriteAllTextAsync(Path.Combine(folder, Path.GetFileName(file)), (await File.ReadAllTextAsync(file)).Replace("RUNID", token, StringComparison.Ordinal));
        }
    }

    public async Task DisposeAsync()
    {
        if (_session is not null)
        {
            await _session.DisposeAsync();
        }
        Directory.Delete(_folder, recursive: true);
    }

    private async Task<ImportReport> ImportAsync()
    {
        await using var scope = _session!.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<VaultImporter>().ImportAsync(_folder, "unknown custodian", null, CancellationToken.None);
    }

    /// <summary>What the archive kept from the Vault metadata for the committee notice (in both accounts), by account.</summary>
    private async Task<(Guid ItemId, List<VaultMessage> Vault)> NoticeAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var notice = await db.Set<ArchiveItem>().AsNoTracking().SingleAsync(i => i.MessageId == $"committee-notice-{_token}@district.example");
        return (notice.Id, await db.Set<VaultMessage>().AsNoTracking().Where(v => v.ItemId == notice.Id).OrderBy(v => v.Account).ToListAsync());
    }

    [Fact]
    public async Task VaultExport_KeepsEachMessagesAccountLabelsAndVaultIds_AndTheArchiveFindsItByCustodian()
    {
        _session = await database.StartBrowserTestAsync();
        var report = await ImportAsync();
        Assert.Empty(report.Failures);
        // Four messages in the two mboxes, one of them the same bytes in both accounts.
        Assert.Equal(3, report.NewItems);
        Assert.Equal(1, report.Duplicates);

        var again = await ImportAsync();
        Assert.Equal(0, again.NewItems);
        Assert.Equal(4, again.AlreadyImported);

        var (noticeId, vault) = await NoticeAsync(_session.App.Services);
        await using (var scope = _session.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            // Each copy is linked to its own document by the separator line: Lee's copy to Lee's, Dana's to Dana's.
            Assert.Equal(new[] { Dana, Lee }, vault.Select(v => v.Account));
            Assert.Equal("^INBOX, Bus contract", vault[0].Labels);
            Assert.Equal($"b7e9d1c3a5f0{_token}03", vault[0].DocumentId);
            Assert.Equal("18e0a9f8e7d6c5b3", vault[0].GmailMessageId);
            Assert.Equal("^INBOX, ^IMPORTANT, Committee", vault[1].Labels);
            Assert.Equal(4, await db.Set<VaultMessage>().CountAsync(v => v.DocumentId.Contains(_token)));
            // A document without Labels or Account (tolerated): no labels, and the account of its mbox's other messages.
            var invoice = await db.Set<VaultMessage>().AsNoTracking().SingleAsync(v => v.DocumentId == $"b7e9d1c3a5f0{_token}04");
            Assert.Equal(("", Dana), (invoice.Labels, invoice.Account));
        }

        var search = _session.App.Services.GetRequiredService<ArchiveSearch>();
        Assert.Equal(new[] { $"bus-routes-{_token}@district.example", $"committee-notice-{_token}@district.example" },
            search.Search(new ArchiveQuery(_token, Custodian: Lee)).Hits.Select(h => h.MessageId!).Order());
        Assert.Equal(new[] { $"committee-notice-{_token}@district.example", $"invoice-question-{_token}@district.example" },
            search.Search(new ArchiveQuery(_token, Custodian: Dana)).Hits.Select(h => h.MessageId!).Order());

        // An officer finds the notice by custodian and opens where it came from.
        var page = (await BrowserSignIn.SignInAsync(_session, Roles.RecordsOfficer)).Page;
        await page.GotoAsync($"/archive?q={Uri.EscapeDataString($"committee AND {_token}")}&custodian={Uri.EscapeDataString(Dana)}");
        await Assertions.Expect(page.Locator("#hit-count")).ToContainTextAsync("1 hit ·");
        await page.GetByRole(AriaRole.Link, new() { Name = "where it came from" }).ClickAsync();
        await Infrastructure.Browser.WaitForAddressAsync(page, new Regex($"/archive/items/{noticeId}$"));
        var vaultTable = page.Locator("#vault");
        await Assertions.Expect(vaultTable.Locator("tr", new() { HasText = Dana })).ToContainTextAsync("^INBOX, Bus contract");
        await Assertions.Expect(vaultTable.Locator("tr", new() { HasText = Lee })).ToContainTextAsync("^INBOX, ^IMPORTANT, Committee");
        await Assertions.Expect(page.Locator("#sources")).ToContainTextAsync("bus-records-2.mbox");
        await Infrastructure.Browser.ScreenshotAsync(page, "collection-06-vault-message");
        await Accessibility.AssertNoViolationsAsync(page);
    }

    [Fact]
    public async Task VaultZip_ImportedFromTheCommandLine_KeepsTheSameMetadata_AndARerunAddsNothing()
    {
        var zip = Path.Combine(Directory.CreateTempSubdirectory("vault-zip-").FullName, $"bus-records-{_token}.zip");
        System.IO.Compression.ZipFile.CreateFromDirectory(_folder, zip);
        await using var services = database.BuildServices();

        // No --custodian: the metadata names the accounts.
        Assert.Equal(0, await RecordsRequests.Hosting.Cli.CliRunner.RunAsync(services, ["archive", "import", zip], CancellationToken.None));
        var (_, vault) = await NoticeAsync(services);
        Assert.Equal(new[] { Dana, Lee }, vault.Select(v => v.Account));
        Assert.Equal(["^INBOX, Bus contract", "^INBOX, ^IMPORTANT, Committee"], vault.Select(v => v.Labels));
        Assert.Equal([$"b7e9d1c3a5f0{_token}03", $"a1f3c0d2e4b5{_token}02"], vault.Select(v => v.DocumentId));
        var search = services.GetRequiredService<ArchiveSearch>();
        Assert.Equal(2, search.Search(new ArchiveQuery(_token, Custodian: Lee)).TotalHits);
        Assert.Equal(2, search.Search(new ArchiveQuery(_token, Custodian: Dana)).TotalHits);

        Assert.Equal(0, await RecordsRequests.Hosting.Cli.CliRunner.RunAsync(services, ["archive", "import", zip], CancellationToken.None));
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.Equal(4, await db.Set<VaultMessage>().CountAsync(v => v.DocumentId.Contains(_token)));
        Assert.Equal(3, await db.Set<ArchiveItem>().CountAsync(i => i.Subject.Contains(_token)));
        Assert.Equal(4, await db.Set<ArchiveItemSource>().CountAsync(s => s.Custodian == Lee || s.Custodian == Dana));
        Directory.Delete(Path.GetDirectoryName(zip)!, recursive: true);
    }

    [Fact]
    public async Task SeparatorLinesWithoutVaultsFileNames_AreConnectedByTheMetadatasMessageIds()
    {
        // The variant of Vault's CSV metadata fields (Rfc822MessageId) in the XML, and mbox separator lines that name
        // the sender rather than the exported file, as other tools write them.
        var messageIds = new[] { "bus-routes", "committee-notice", "committee-notice", "invoice-question" };
        var metadata = Path.Combine(_folder, "bus-records-metadata.xml");
        var xml = await File.ReadAllTextAsync(metadata);
        var parts = xml.Split("<Tags>");
        Assert.Equal(5, parts.Length);
        xml = parts[0] + string.Concat(parts.Skip(1).Select((part, n) =>
            $"<Tags>\n          <Tag TagName=\"Rfc822MessageId\" TagDataType=\"Text\" TagValue=\"&lt;{messageIds[n]}-{_token}@district.example&gt;\"/>" + part));
        await File.WriteAllTextAsync(metadata, xml);
        foreach (var mbox in Directory.EnumerateFiles(_folder, "*.mbox"))
        {
            await File.WriteAllTextAsync(mbox, System.Text.RegularExpressions.Regex.Replace(await File.ReadAllTextAsync(mbox), @"(?m)^From \S+\.mbox ", "From sender@district.example "));
        }
        await using var services = database.BuildServices();

        await using (var scope = services.CreateAsyncScope())
        {
            // Dana's mbox holds the notice, which both accounts have, and a message whose document names no account:
            // by Message-ID alone nothing says whose mbox it is, so it is refused until the custodian is named.
            var unnamed = await Assert.ThrowsAsync<InvalidDataException>(() =>
                scope.ServiceProvider.GetRequiredService<VaultImporter>().ImportAsync(_folder, null, null, CancellationToken.None));
            Assert.Equal("The Vault metadata names no account for the messages of bus-records-2.mbox: name the custodian (--custodian) whose mail this is.", unnamed.Message);
            var report = await scope.ServiceProvider.GetRequiredService<VaultImporter>().ImportAsync(_folder, Dana, null, CancellationToken.None);
            Assert.Equal((1, 1, 2), (report.NewItems, report.Duplicates, report.AlreadyImported));
        }
        var (_, vault) = await NoticeAsync(services);
        // By Message-ID the notice matches both accounts' documents, from either copy.
        Assert.Equal(new[] { Dana, Lee }, vault.Select(v => v.Account));
        var search = services.GetRequiredService<ArchiveSearch>();
        Assert.Equal(2, search.Search(new ArchiveQuery(_token, Custodian: Lee)).TotalHits);
        Assert.Equal(2, search.Search(new ArchiveQuery(_token, Custodian: Dana)).TotalHits);
    }

    [Fact]
    public async Task MetadataFileThatIsNotVaults_IsRefusedWithTheReason_AndNothingIsImported()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, "bus-records-metadata.xml"),
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Not Vault</title></channel></rss>");
        await using var services = database.BuildServices();

        await using (var scope = services.CreateAsyncScope())
        {
            var refused = await Assert.ThrowsAsync<InvalidDataException>(() =>
                scope.ServiceProvider.GetRequiredService<VaultImporter>().ImportAsync(_folder, null, null, CancellationToken.None));
            Assert.Equal("bus-records-metadata.xml is not a Google Vault metadata file: Vault's metadata is EDRM XML with a Root element holding Batch, "
                + "Documents and Document entries, and this file's top element is <rss>. Give the export's own export_name-metadata.xml, or import the mbox files without it.",
                refused.Message);
        }
        Assert.Equal(1, await RecordsRequests.Hosting.Cli.CliRunner.RunAsync(services, ["archive", "import", _folder], CancellationToken.None));

        await File.WriteAllTextAsync(Path.Combine(_folder, "bus-records-metadata.xml"), "<Root><Batch name=\"cut\"><Documents>");
        await using (var scope = services.CreateAsyncScope())
        {
            var refused = await Assert.ThrowsAsync<InvalidDataException>(() =>
                scope.ServiceProvider.GetRequiredService<VaultImporter>().ImportAsync(_folder, null, null, CancellationToken.None));
            Assert.StartsWith("bus-records-metadata.xml is not readable XML", refused.Message, StringComparison.Ordinal);
            Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<AppDbContext>().Set<ArchiveItem>().CountAsync(i => i.Subject.Contains(_token)));
        }
    }
}
