using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Archive;
using RecordsRequests.Features.Mailboxes;
using RecordsRequests.Features.Records;
using RecordsRequests.IntegrationTests.Infrastructure;
using RecordsRequests.IntegrationTests.Mailboxes;
using RecordsRequests.IntegrationTests.Reports;

namespace RecordsRequests.IntegrationTests.Archive;

/// <summary>
/// One message reaches the archive four ways, each in bytes of its own: in a Google Vault export of one custodian's
/// Gmail (LF line endings, Vault's X-Gmail-Labels), in an mbox another custodian exported from Thunderbird (X-Mozilla
/// headers, a body line quoted as "&gt;From"), collected from Microsoft 365 through Graph's <c>$value</c> (Exchange's
/// Received and X-MS-Exchange headers) and from Google Workspace through the Gmail API (Delivered-To, Gmail's Received).
/// The archive keeps it once, lists every source with its custodian and route, stores every copy's bytes, and search
/// shows it once. A forged message that reuses its Message-ID from another sender stays apart, and a message without a
/// Message-ID is still recognised across two exports by its headers and text.
/// </summary>
[Collection(Lanes.BrowserOwnHosts)]
public sealed class CrossSourceDeduplicationTests(TestDatabase database) : IAsyncLifetime
{
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private readonly string _folder = Directory.CreateTempSubdirectory("cross-source-").FullName;
    private ProviderDouble _provider = null!;
    private BrowserApp _session = null!;

    private string Lee => $"lee-{_run}@district.example";
    private string Dana => $"dana-{_run}@district.example";
    private string MessageId => $"playground-bids-{_run}@district.example";
    private static readonly DateTimeOffset Sent = new(2025, 4, 2, 13, 15, 0, TimeSpan.Zero);

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        _provider = await ProviderDouble.StartAsync();
        _session = await BrowserApp.StartAsync(database, _provider.Settings());
    }

    public async Task DisposeAsync()
    {
        await _session.DisposeAsync();
        await _provider.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>The message as its sender wrote it, before any mailbox or export added its own headers.</summary>
    private string Genuine(string newline) => string.Join(newline,
        "From: Pat Facilities <pat.facilities@district.example>",
        $"To: Lee Principal <{Lee}>, Dana Clerk <{Dana}>",
        $"Subject: Playground resurfacing bids ({_run})",
        $"Date: {Sent:R}",
        $"Message-ID: <{MessageId}>",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8",
        "",
        $"Three bids came in for the playground resurfacing. Lowest: Acme Surfaces. Run {_run}.",
        "From the three, Acme also has the shortest schedule.",
        "");

    /// <summary>Another sender's message that copies the Message-ID (a forgery, or a careless mailer).</summary>
    private string Forged => string.Join("\r\n",
        "From: Bid Office <bids@elsewhere.example>",
        $"To: Lee Principal <{Lee}>",
        $"Subject: Playground resurfacing bids ({_run})",
        $"Date: {Sent.AddHours(3):R}",
        $"Message-ID: <{MessageId}>",
        "",
        $"Send the bid bond to the account below. Run {_run}.",
        "");

    /// <summary>A message without a Message-ID, as some scanners and scripts send.</summary>
    private string Keys(string newline, string mailer) => string.Join(newline,
        mailer,
        "From: Facilities Scanner <scanner@district.example>",
        $"To: Lee Principal <{Lee}>",
        $"Subject: Bus garage keys ({_run})",
        "Date: Thu, 03 Apr 2025 08:00:00 +0000",
        "",
        $"The bus garage keys are at the front office. Run {_run}.",
        "");

    [Fact]
    public async Task SameMessageFromVaultAnMboxGraphAndGmail_IsOneItemListingEverySource_AndSearchShowsItOnce()
    {
        var services = _session.App.Services;

        // Dana's Gmail, exported from Vault: the mbox and its metadata (see TestData/vault/README.md for the layout).
        var vault = Directory.CreateDirectory(Path.Combine(_folder, "vault")).FullName;
        var externalFile = $"1743599700000-5e1f2a3b-4c5d-4e6f-8a9b-{_run}0000.mbox";
        await File.WriteAllTextAsync(Path.Combine(vault, "playground-1.mbox"),
            $"From {externalFile} Wed Apr  2 13:15:00 2025\nX-GM-THRID: 1828283838383838383\nX-Gmail-Labels: Inbox,Facilities\n"
            + Genuine("\n").Replace("\nFrom the three", "\n>From the three", StringComparison.Ordinal) + "\n");
        await File.WriteAllTextAsync(Path.Combine(vault, "playground-metadata.xml"), $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <Root DataInterchangeType="Update" Description="playground">
              <Batch name="playground">
                <Documents>
                  <Document DocId="c0ffee{_run}01">
                    <Tags>
                      <Tag TagName="#Subject" TagDataType="Text" TagValue="Playground resurfacing bids ({_run})"/>
                      <Tag TagName="Account" TagDataType="Text" TagValue="{Dana}"/>
                      <Tag TagName="Labels" TagDataType="Text" TagValue="^INBOX,Facilities"/>
                    </Tags>
                    <Files><File FileType="Native"><ExternalFile FileName="{externalFile}" FileSize="600" Hash="00"/></File></Files>
                  </Document>
                </Documents>
              </Batch>
            </Root>
            """);
        // Lee's mailbox as an mbox from Thunderbird: mboxrd quoting, its own status headers, and the keys message.
        var thunderbird = Path.Combine(_folder, "lee-thunderbird.mbox");
        await File.WriteAllTextAsync(thunderbird,
            "From - Wed Apr  2 13:20:00 2025\nX-Mozilla-Status: 0001\nX-Mozilla-Status2: 00000000\n"
            + Genuine("\n").Replace("\nFrom the three", "\n>From the three", StringComparison.Ordinal) + "\n"
            + "From - Thu Apr  3 08:05:00 2025\n" + Keys("\n", "X-Mozilla-Status: 0001") + "\n");
        // The same mail in the providers' mailboxes, with the headers each adds.
        var leeBox = _provider.Mailbox(Lee);
        var danaBox = _provider.Mailbox(Dana);
        _provider.AccessPolicy.Add(Lee);
        _provider.AccessPolicy.Add(Dana);
        leeBox.Deliver(Encoding.UTF8.GetBytes(
            "Received: from NAM12-BN8-obe.outbound.protection.outlook.com by BN8PR12MB.namprd12.prod.outlook.com; Wed, 2 Apr 2025 13:15:02 +0000\r\n"
            + "X-MS-Exchange-Organization-AuthAs: Internal\r\n" + Genuine("\r\n")), Sent.AddSeconds(2));
        leeBox.Deliver(Encoding.UTF8.GetBytes("X-MS-Exchange-Organization-SCL: 1\r\n" + Forged), Sent.AddHours(3));
        leeBox.Deliver(Encoding.UTF8.GetBytes(Keys("\r\n", "Received: from scanner.district.example by BN8PR12MB.namprd12.prod.outlook.com; Thu, 3 Apr 2025 08:00:01 +0000")),
            new DateTimeOffset(2025, 4, 3, 8, 0, 1, TimeSpan.Zero));
        danaBox.Deliver(Encoding.UTF8.GetBytes($"Delivered-To: {Dana}\r\nReceived: by 2002:a05:6a10:9e0c:b0:5c4:1f2e with SMTP id x12csp1234; Wed, 2 Apr 2025 06:15:03 -0700 (PDT)\r\n"
            + Genuine("\r\n")), Sent.AddSeconds(3));

        ImportReport fromVault, fromMbox;
        await using (var scope = services.CreateAsyncScope())
        {
            fromVault = await scope.ServiceProvider.GetRequiredService<VaultImporter>().ImportAsync(vault, null, null, CancellationToken.None);
        }
        await using (var scope = services.CreateAsyncScope())
        {
            fromMbox = await scope.ServiceProvider.GetRequiredService<ArchiveImporter>().ImportAsync(thunderbird, Lee, null, CancellationToken.None);
        }
        Assert.Equal((1, 0), (fromVault.NewItems, fromVault.Duplicates));
        Assert.Equal((1, 1), (fromMbox.NewItems, fromMbox.Duplicates));

        var microsoft = await MailCollectionTests.ConnectAsync(services, MailboxKind.Microsoft365, _run, _provider);
        var google = await MailCollectionTests.ConnectAsync(services, MailboxKind.GoogleWorkspace, _run, _provider);
        var request = await ReportsTests.SeedRequestAsync(services, $"pat-{_run}@public.example", DateTimeOffset.UtcNow);
        var fromGraph = await MailCollectionTests.QueueAsync(services, request, microsoft, Lee, "");
        await MailCollectionTests.RunAsync(services, fromGraph.Id);
        var fromGmail = await MailCollectionTests.QueueAsync(services, request, google, Dana, "");
        await MailCollectionTests.RunAsync(services, fromGmail.Id);

        // Graph brought three messages and only the forged one was new; Gmail brought one, already there.
        var graphDone = await MailCollectionTests.ReadAsync(services, fromGraph.Id);
        var gmailDone = await MailCollectionTests.ReadAsync(services, fromGmail.Id);
        Assert.Equal((MailCollectionStatus.Finished, 3, 1), (graphDone.Status, graphDone.Messages, graphDone.NewToArchive));
        Assert.Equal((MailCollectionStatus.Finished, 1, 0), (gmailDone.Status, gmailDone.Messages, gmailDone.NewToArchive));

        Guid genuineId;
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var sameId = await db.Set<ArchiveItem>().AsNoTracking().Where(i => i.MessageId == MessageId).ToListAsync();
            Assert.Equal(2, sameId.Count);
            var genuine = sameId.Single(i => i.Sender.Contains("pat.facilities@district.example", StringComparison.Ordinal));
            Assert.Contains(sameId, i => i.Sender.Contains("bids@elsewhere.example", StringComparison.Ordinal));
            genuineId = genuine.Id;

            // Every route is a source, with its custodian, and every copy's own bytes are kept.
            var sources = await db.Set<ArchiveItemSource>().AsNoTracking().Where(s => s.ItemId == genuine.Id).OrderBy(s => s.Id).ToListAsync();
            Assert.Equal(new[] { Dana, Lee, Lee, Dana }, sources.Select(s => s.Custodian));
            Assert.Equal("playground-1.mbox", Path.GetFileName(sources[0].SourceFile));
            Assert.Equal("lee-thunderbird.mbox", Path.GetFileName(sources[1].SourceFile));
            Assert.Equal($"Collected from Microsoft 365 (“{microsoft.Name}”) for request {request.TrackingNumber}", sources[2].Origin);
            Assert.Equal($"Collected from Google Workspace (“{google.Name}”) for request {request.TrackingNumber}", sources[3].Origin);
            Assert.Equal(4, sources.Select(s => s.OriginalSha256).Distinct().Count());
            Assert.Equal(genuine.Sha256, sources[0].OriginalSha256);
            var store = scope.ServiceProvider.GetRequiredService<ContentStore>();
            Assert.All(sources, s => Assert.True(store.Exists(s.OriginalSha256), $"the copy from {s.SourceFile} is stored"));
            Assert.Equal(Dana, (await db.Set<VaultMessage>().AsNoTracking().SingleAsync(v => v.ItemId == genuine.Id)).Account);

            // The message without a Message-ID: one item, from the mbox and from Graph.
            var keys = await db.Set<ArchiveItem>().AsNoTracking().SingleAsync(i => i.Subject == $"Bus garage keys ({_run})");
            Assert.Null(keys.MessageId);
            Assert.Equal(2, await db.Set<ArchiveItemSource>().CountAsync(s => s.ItemId == keys.Id));
        }

        // Search shows the genuine message once, under both custodians; its Message-ID finds it and the forgery.
        var search = services.GetRequiredService<ArchiveSearch>();
        var hit = Assert.Single(search.Search(new ArchiveQuery($"acme AND {_run}")).Hits);
        Assert.Equal(genuineId, hit.Id);
        Assert.Equal(new[] { Dana, Lee }, hit.Custodians.Order(StringComparer.Ordinal));
        Assert.Equal(2, search.Search(new ArchiveQuery($"messageid:\"<{MessageId}>\"")).TotalHits);
        Assert.Equal(1, search.Search(new ArchiveQuery($"garage AND {_run}")).TotalHits);
        Assert.Equal(3, search.Search(new ArchiveQuery(_run, PageSize: 50)).TotalHits);

        // An officer opens where the message came from.
        var page = (await BrowserSignIn.SignInAsync(_session, Roles.RecordsOfficer)).Page;
        await page.GotoAsync($"/archive?q={Uri.EscapeDataString($"acme AND {_run}")}");
        await Assertions.Expect(page.Locator("#hit-count")).ToContainTextAsync("1 hit ·");
        await page.GetByRole(AriaRole.Link, new() { Name = "where it came from" }).ClickAsync();
        await Infrastructure.Browser.WaitForAddressAsync(page, new Regex($"/archive/items/{genuineId}$"));
        await Assertions.Expect(page.Locator("#sources-summary")).ToContainTextAsync("Found 4 times, in the mail of 2 custodians. The archive keeps it once and search shows it once");
        var rows = page.Locator("#sources tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(4);
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync("playground-1.mbox");
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync("the copy kept");
        await Assertions.Expect(rows.Nth(1)).ToContainTextAsync("lee-thunderbird.mbox");
        await Assertions.Expect(rows.Nth(2)).ToContainTextAsync($"Collected from Microsoft 365 (“{microsoft.Name}”) for request {request.TrackingNumber}");
        await Assertions.Expect(rows.Nth(3)).ToContainTextAsync("Collected from Google Workspace");
        await Assertions.Expect(rows.Nth(3)).ToContainTextAsync("the same message with that export's own headers");
        await Assertions.Expect(page.Locator("#vault")).ToContainTextAsync("^INBOX, Facilities");
        await Infrastructure.Browser.ScreenshotAsync(page, "collection-2-archive-item-sources");
        await Accessibility.AssertNoViolationsAsync(page);
    }
}
