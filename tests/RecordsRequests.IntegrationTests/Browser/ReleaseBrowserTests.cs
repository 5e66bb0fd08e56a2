using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Mail;
using RecordsRequests.Features.Redactions;
using RecordsRequests.Features.Releases;
using RecordsRequests.Features.Requests;
using RecordsRequests.Features.Shared;
using RecordsRequests.IntegrationTests.Infrastructure;
using UglyToad.PdfPig;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;

namespace RecordsRequests.IntegrationTests.Browser;

/// <summary>
/// Release in chromium (issue 16): the officer sees what will be sent and edits the letter before confirming; the
/// officer's records page links the released files; the requester gets one e-mail that greets them by name, and a
/// release page in the site's look that explains each file, names it by document and Bates range, and offers a zip.
/// </summary>
[Collection(Lanes.BrowserCasework)]
public sealed class ReleaseBrowserTests(TestDatabase database) : IAsyncLifetime
{
    private const string Secret = "Maya Okafor";
    private BrowserApp _session = null!;

    public async Task InitializeAsync() => _session = await database.StartBrowserTestAsync();

    public async Task DisposeAsync() => await _session.DisposeAsync();

    [Fact]
    public async Task Officer_PreviewsEditsAndConfirms_RequesterGetsOneGreetingEmail_AndAnExplainedReleasePage()
    {
        var (requestId, tracking) = await ApprovedRequestAsync();
        var (officer, officerErrors) = await BrowserSignIn.SignInAsync(_session, Roles.RecordsOfficer, $"/requests/{tracking}/records");

        // Release first shows what will be sent; nothing is produced yet.
        await officer.Locator("#release").ClickAsync();
        await Assertions.Expect(officer).ToHaveURLAsync(new Regex($"/requests/{tracking}/release$"));
        var plan = officer.Locator("#release-plan tbody tr");
        await Assertions.Expect(plan).ToHaveCountAsync(1);
        await Assertions.Expect(plan.First).ToContainTextAsync($"{tracking}-000001 to {tracking}-000001");
        await Assertions.Expect(plan.First).ToContainTextAsync("incident.txt");
        await Assertions.Expect(officer.Locator("#release-exemptions")).ToContainTextAsync("26(a)");
        await Assertions.Expect(officer.Locator("#release-recipient")).ToContainTextAsync($"Robin Requester <robin@example.org>, subject “[{tracking}] Records released for your request”");
        var letter = officer.Locator("#Letter");
        await Assertions.Expect(letter).ToHaveValueAsync(new Regex("Dear Robin Requester,"));
        await Assertions.Expect(letter).ToHaveValueAsync(new Regex($"Document 1: {tracking}-000001 to {tracking}-000001 \\(1 page, 1 redaction\\)"));
        Assert.Equal(0, await QueryAsync(db => db.Set<Release>().CountAsync(r => r.RequestId == requestId)));
        await Accessibility.AssertNoViolationsAsync(officer);
        await Shot(officer, "officer-preview");

        // The officer adds a sentence; the letter that goes out is the one they edited.
        var edited = (await letter.InputValueAsync()).Replace("Sincerely,", "The principal's notes were searched as well; none exist.\n\nSincerely,", StringComparison.Ordinal);
        await letter.FillAsync(edited);
        await officer.Locator("#confirm-release").ClickAsync();
        await Assertions.Expect(officer.Locator("#release-message")).ToHaveTextAsync("Released.");
        var link = await officer.Locator("#release-link a").InnerTextAsync();
        await Shot(officer, "officer-released");

        // One e-mail for the release, greeting by name, in the [PRR-…] subject form, carrying the link and the edited letter.
        var mail = await QueryAsync(db => db.Set<OutboundEmail>().Where(m => m.RequestId == requestId && m.Kind != MailKind.Acknowledgement).ToListAsync());
        var release = Assert.Single(mail);
        Assert.Equal($"[{tracking}] Records released for your request", release.Subject);
        var delivered = await SentMail.TextAsync(_session.App.Services, m => m.Id == release.Id);
        Assert.StartsWith("Dear Robin Requester,", delivered, StringComparison.Ordinal);
        Assert.Contains(link, delivered, StringComparison.Ordinal);
        Assert.Contains("none exist.", delivered, StringComparison.Ordinal);
        // The copy on the request's timeline, which every member of staff reads, has the private link masked.
        await officer.GotoAsync($"/requests/{tracking}");
        await Assertions.Expect(officer.Locator("pre.message-body", new() { HasText = "The district's response to your request" })).ToContainTextAsync(PrivateLinks.Masked);
        Assert.DoesNotContain(link, await officer.ContentAsync(), StringComparison.Ordinal);

        // The officer's records page links the released files, named in words.
        await officer.GotoAsync($"/requests/{tracking}/records");
        var released = officer.Locator("#releases a", new() { HasText = "The district's response letter" });
        var letterPdf = await officer.Context.APIRequest.GetAsync((await released.GetAttributeAsync("href"))!);
        Assert.Equal(200, letterPdf.Status);
        Assert.Contains("none exist.", PdfText(await letterPdf.BodyAsync()), StringComparison.Ordinal);
        await Assertions.Expect(officer.Locator("#releases a", new() { HasText = $"Document 1: page {tracking}-000001" })).ToHaveCountAsync(1);
        await Shot(officer, "officer-records-released");
        Assert.True(officerErrors.Count == 0, string.Join("\n", officerErrors));

        // The requester's page: the district's header, each file explained, by document and Bates range, and one zip.
        var context = await _session.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 768 } });
        var requester = await context.NewPageAsync();
        var requesterErrors = BrowserSignIn.ListenForErrors(requester);
        await requester.GotoAsync(new Uri(link).PathAndQuery);
        await Assertions.Expect(requester.Locator("header.site .brand")).ToContainTextAsync("Public records");
        await Assertions.Expect(requester.Locator("h1")).ToHaveTextAsync($"Records released for your request {tracking}");
        var rows = requester.Locator("#release-files tbody tr");
        await Assertions.Expect(rows.Locator(".file-title")).ToHaveTextAsync([
            "The district's response letter", $"Document 1: page {tracking}-000001", "Exemption log (PDF)", "Exemption log (spreadsheet)"]);
        await Assertions.Expect(rows.Nth(1).Locator(".file-explanation")).ToContainTextAsync("one part is covered in black");
        var body = await requester.Locator("body").InnerTextAsync();
        Assert.DoesNotContain("incident.txt", body, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, body, StringComparison.Ordinal);
        await Accessibility.AssertNoViolationsAsync(requester);
        await Shot(requester, "requester-page");

        var zip = await requester.Context.APIRequest.GetAsync((await requester.Locator("#download-all").GetAttributeAsync("href"))!);
        Assert.Equal(200, zip.Status);
        Assert.Equal("application/zip", zip.Headers["content-type"]);
        using var archive = new ZipArchive(new MemoryStream(await zip.BodyAsync()));
        Assert.Equal(new[] { $"{tracking}-000001.pdf", $"{tracking}-exemption-log.csv", $"{tracking}-exemption-log.pdf", $"{tracking}-response-letter.pdf" },
            archive.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
        foreach (var entry in archive.Entries)
        {
            using var content = new MemoryStream();
            await using (var stream = entry.Open())
            {
                await stream.CopyToAsync(content);
            }
            var bytes = content.ToArray();
            var text = bytes.AsSpan().StartsWith("%PDF-"u8) ? PdfText(bytes) : Encoding.UTF8.GetString(bytes);
            Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
        }
        Assert.True(requesterErrors.Count == 0, string.Join("\n", requesterErrors));
    }

    /// <summary>A request from Robin Requester with one text record whose student name is redacted and approved by counsel.</summary>
    private async Task<(Guid RequestId, string TrackingNumber)> ApprovedRequestAsync()
    {
        await using var scope = _session.App.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var request = await services.GetRequiredService<SubmitRequest>().HandleAsync(
            new SubmitRequest.Input { Name = "Robin Requester", Email = "robin@example.org", Description = "Incident reports from March" },
            RequestChannel.Email, CitedLaw.None, default);
        var content = $"Incident note.\nThe student {Secret} was sent to the office after a discipline incident.\nThe principal met the family.\n";
        var record = await RecordPagesFixture.AttachAsync(services, request.Id, "incident.txt", Encoding.UTF8.GetBytes(content), "officer@district.example");
        await Lifecycles.DriveToAsync(_session.App.Services, request.Id, "counsel");
        var workflow = services.GetRequiredService<RedactionReview>();
        var start = record.Text.IndexOf(Secret, StringComparison.Ordinal);
        await workflow.AddAsync(record.RecordId, start, start + Secret.Length, RedactionCategory.StudentName, ExemptionCatalog.Ferpa, "student", "officer@district.example", default);
        await workflow.ApproveAsync(request.Id, "counsel@district.example", "", default);
        return (request.Id, request.TrackingNumber);
    }

    private async Task<T> QueryAsync<T>(Func<AppDbContext, Task<T>> query)
    {
        await using var scope = _session.App.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    private static string PdfText(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return string.Join("\n", document.GetPages().Select(p => ContentOrderTextExtractor.GetText(p)));
    }

    private static Task Shot(IPage page, string name) => Infrastructure.Browser.ScreenshotAsync(page, "release-" + name);
}
