using System.Net;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Redactions;
using RecordsRequests.IntegrationTests.Infrastructure;

namespace RecordsRequests.IntegrationTests.Admin;

[Collection(Lanes.OwnHosts)]
public sealed class AdminSettingsPagesTests(TestDatabase database) : IAsyncLifetime
{
    private const string SmtpPassword = "smtp-Secret-4711";
    private const string ImapPassword = "imap-Secret-0815";
    private TestApp _app = null!;

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        // Passwords configured as an operator would (ops/env sets Mail__SmtpPassword and Intake__Imap__Password), to
        // prove the page never shows them. Given as this host's settings, not the process's environment, which every
        // host the other test lanes start meanwhile would read too.
        _app = await TestApp.StartAsync(database, new Dictionary<string, string?>
        {
            ["Mail:SmtpPassword"] = SmtpPassword,
            ["Intake:Imap:Password"] = ImapPassword,
        });
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task AdminPages_ShowCatalogTemplatesMailboxAndFees_WithoutPasswords()
    {
        using var admin = _app.CreateClient();
        await WebSession.SignInAsync(admin, await WebSession.CreateStaffAsync(_app, Roles.Admin));

        var index = await admin.GetStringAsync("/admin");
        // The district profile: its name and the public numbers and addresses detection never suggests (the demo district's).
        var profile = WebUtility.HtmlDecode(index);
        Assert.Contains("Demo Public Schools", profile, StringComparison.Ordinal);
        Assert.Contains("100 Main Street, Westfield, MA 01085", profile, StringComparison.Ordinal);
        Assert.Contains("413-555-0101 (fax)", profile, StringComparison.Ordinal);
        foreach (var link in new[] { "/admin/exemptions", "/admin/letters", "/admin/mailbox", "/admin/fees" })
        {
            Assert.Contains($"href=\"{link}\"", index, StringComparison.Ordinal);
        }
        var exemptions = WebUtility.HtmlDecode(await admin.GetStringAsync("/admin/exemptions"));
        Assert.All(ExemptionCatalog.All, e => Assert.Contains(e.Citation, exemptions, StringComparison.Ordinal));

        var letters = WebUtility.HtmlDecode(await admin.GetStringAsync("/admin/letters?kind=Extension"));
        Assert.Contains("Written response to your records request (G.L. c.66 §10(b))", letters, StringComparison.Ordinal);
        Assert.Contains("Save as a new version", letters, StringComparison.Ordinal);

        var mailbox = await admin.GetStringAsync("/admin/mailbox");
        Assert.Contains("id=\"smtp-password\">set (hidden)<", mailbox, StringComparison.Ordinal);
        Assert.Contains("id=\"imap-password\">set (hidden)<", mailbox, StringComparison.Ordinal);
        Assert.DoesNotContain(SmtpPassword, mailbox, StringComparison.Ordinal);
        Assert.DoesNotContain(ImapPassword, mailbox, StringComparison.Ordinal);

        var fees = await admin.GetStringAsync("/admin/fees");
        Assert.Contains("id=\"hourly-rate\">$25.00", fees, StringComparison.Ordinal);
        Assert.Contains("id=\"paper-per-page\">$0.05", fees, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/admin/exemptions")]
    [InlineData("/admin/letters")]
    [InlineData("/admin/mailbox")]
    [InlineData("/admin/fees")]
    public async Task AdminPages_RefuseAnOfficer(string path)
    {
        using var officer = _app.CreateClient();
        await WebSession.SignInAsync(officer, await WebSession.CreateStaffAsync(_app, Roles.RecordsOfficer));
        var response = await officer.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/denied", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }
}
