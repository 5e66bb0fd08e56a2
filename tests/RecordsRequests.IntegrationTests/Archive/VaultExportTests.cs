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
/// A Google Vault mbox export with its metadata XML (TestData/vault, see its README for the shape's source) imported
/// into the archive: each message keeps the Vault account as custodian, its labels and Vault's ids, shown on the
/// archive message page, and the archive search finds it by custodian.
/// </summary>
[Collection(Lanes.Browser)]
public sealed class VaultExportTests(TestDatabase database) : IAsyncLifetime
{
    private readonly string _token = $"v{Guid.NewGuid():N}"[..13];
    private readonly string _folder = Directory.CreateTempSubdirectory("vault-export-").FullName;
    private BrowserApp _session = null!;

    private string Lee => $"lee.principal-{_token}@district.example";
    private string Dana => $"dana.clerk-{_token}@district.example";

    public async Task InitializeAsync()
    {
        var source = Path.Combine(AppContext.BaseDirectory, "TestData", "vault");
        foreach (var file in Directory.EnumerateFiles(source).Where(f => !f.EndsWith("README.md", StringComparison.Ordinal)))
        {
            await File.WriteAllTextAsync(Path.Combine(_folder, Path.GetFileName(file)), (await File.ReadAllTextAsync(file)).Replace("RUNID", _token, StringComparison.Ordinal));
        }
        _session = await database.StartBrowserTestAsync();
    }

    public async Task DisposeAsync()
    {
        await _session.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task<ImportReport> ImportAsync()
    {
        await using var scope = _session.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<VaultImporter>().ImportAsync(_folder, "unknown custodian", null, CancellationToken.None);
    }

    [Fact]
    public async Task VaultExport_KeepsEachMessagesAccountLabelsAndVaultIds_AndTheArchiveFindsItByCustodian()
    {
        var report = await ImportAsync();
        Assert.Empty(report.Failures);
        // Four messages in the two mboxes, one of them the same bytes in both accounts.
        Assert.Equal(3, report.NewItems);
        Assert.Equal(1, report.Duplicates);

        var again = await ImportAsync();
        Assert.Equal(0, again.NewItems);
        Assert.Equal(4, again.AlreadyImported);

        Guid noticeId;
        await using (var scope = _session.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var notice = await db.Set<ArchiveItem>().AsNoTracking().SingleAsync(i => i.MessageId == $"committee-notice-{_token}@district.example");
            noticeId = notice.Id;
            var vault = await db.Set<VaultMessage>().AsNoTracking().Where(v => v.ItemId == notice.Id).OrderBy(v => v.Account).ToListAsync();
            Assert.Equal(new[] { Dana, Lee }, vault.Select(v => v.Account));
            Assert.Equal("^INBOX, Bus contract", vault[0].Labels);
            Assert.Equal($"b7e9d1c3a5f0{_token}03", vault[0].DocumentId);
            Assert.Equal("18e0a9f8e7d6c5b3", vault[0].GmailMessageId);
            Assert.Equal("^INBOX, ^IMPORTANT, Committee", vault[1].Labels);
            Assert.Equal(4, await db.Set<VaultMessage>().CountAsync(v => v.DocumentId.Contains(_token)));
        }

        var search = _session.App.Services.GetRequiredService<ArchiveSearch>();
        Assert.Equal(new[] { $"bus-routes-{_token}@district.example", $"committee-notice-{_token}@district.example" },
            search.Search(new ArchiveQuery(_token, Custodian: Lee)).Hits.Select(h => h.MessageId!).Order());
        Assert.Equal(new[] { $"committee-notice-{_token}@district.example", $"invoice-question-{_token}@district.example" },
            search.Search(new ArchiveQuery(_token, Custodian: Dana)).Hits.Select(h => h.MessageId!).Order());

        // An officer finds the notice by custodian and opens where it came from.
        var email = await WebSession.CreateStaffAsync(_session.App, Roles.RecordsOfficer);
        var context = await _session.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/sign-in");
        await WebSession.SignInInBrowserAsync(page, email);
        await page.WaitForURLAsync(new Regex("/dashboard$"));
        await page.GotoAsync($"/archive?q={Uri.EscapeDataString($"committee AND {_token}")}&custodian={Uri.EscapeDataString(Dana)}");
        await Assertions.Expect(page.Locator("#hit-count")).ToContainTextAsync("1 hits");
        await page.GetByRole(AriaRole.Link, new() { Name = "where it came from" }).ClickAsync();
        await page.WaitForURLAsync(new Regex($"/archive/items/{noticeId}$"));
        var vaultTable = page.Locator("#vault");
        await Assertions.Expect(vaultTable.Locator("tr", new() { HasText = Dana })).ToContainTextAsync("^INBOX, Bus contract");
        await Assertions.Expect(vaultTable.Locator("tr", new() { HasText = Lee })).ToContainTextAsync("^INBOX, ^IMPORTANT, Committee");
        await Assertions.Expect(page.Locator("#sources")).ToContainTextAsync("bus-records-2.mbox");
        await Infrastructure.Browser.ScreenshotAsync(page, "collection-06-vault-message");
        await Accessibility.AssertNoViolationsAsync(page);
    }
}
