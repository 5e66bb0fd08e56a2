using Microsoft.Playwright;
using RecordsRequests.Features.Accounts;
using RecordsRequests.IntegrationTests.Infrastructure;
using RecordsRequests.TestSupport;

namespace RecordsRequests.IntegrationTests.Browser;

/// <summary>
/// An export uploaded from the browser (issue 19): while it imports, the page says how many messages are done, how
/// fast, how many megabytes of how many, and about how long is left; at the end, what came in.
/// </summary>
[Collection(Lanes.ArchiveImports)]
public sealed class ArchiveImportProgressBrowserTests(TestDatabase database) : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("import-progress-").FullName;
    private BrowserApp _session = null!;

    public async Task InitializeAsync() => _session = await database.StartBrowserTestAsync();

    public async Task DisposeAsync()
    {
        await _session.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Admin_UploadsAMailboxExport_AndSeesMessagesRateMegabytesAndTimeLeft_ThenTheOutcome()
    {
        var mbox = Path.Combine(_folder, "lay-k vault export.mbox");
        EnronMbox.Write(EnronMbox.Corpus(), mbox, 20_000, $"progress-{Guid.NewGuid():N}.test");
        var (admin, errors) = await BrowserSignIn.SignInAsync(_session, Roles.Admin, "/archive/import");

        await admin.Locator("#Archive").SetInputFilesAsync(mbox);
        await admin.Locator("#Custodian").FillAsync("Kenneth Lay");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Upload and import" }).ClickAsync();

        var row = admin.Locator("#imports tbody tr").First;
        await Assertions.Expect(row).ToContainTextAsync("lay-k vault export.mbox");
        // The page refreshes itself every few seconds while the import runs.
        var progress = row.Locator(".import-progress");
        await Assertions.Expect(progress).ToContainTextAsync(new System.Text.RegularExpressions.Regex(
            @"importing: [1-9][\d,]* items \([\d,]+ new, [\d,]+ duplicates, [\d,]+ already imported, [\d,]+ failed\), [\d,]+ a second; [\d,.]+ of [\d,.]+ MB \(\d+ %\), [\d,.]+ MB/s; about \d+:\d\d:\d\d left"),
            new() { Timeout = 120_000 });
        await Infrastructure.Browser.ScreenshotAsync(admin, "archive-import-in-progress");

        await Assertions.Expect(progress.Locator("strong")).ToHaveTextAsync("Done", new() { Timeout = 300_000 });
        await Assertions.Expect(progress).ToContainTextAsync("Imported 20000 new items, 0 duplicates of items already in the archive, 0 already imported, 0 failed");
        await Accessibility.AssertNoViolationsAsync(admin);
        await Infrastructure.Browser.ScreenshotAsync(admin, "archive-import-done");
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }
}
