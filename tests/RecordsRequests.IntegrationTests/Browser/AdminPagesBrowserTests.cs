using System.IO.Compression;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Mail;
using RecordsRequests.Features.Redactions;
using RecordsRequests.IntegrationTests.Infrastructure;

namespace RecordsRequests.IntegrationTests.Browser;

/// <summary>
/// The admin's pages in chromium (issue 16): several roles per person; disable (signed out at once, no sign-in),
/// enable, lift the sign-in slowdown, send a reset; load the student roster with a preview of what was understood;
/// import an archive from the browser and follow its progress to the end.
/// </summary>
[Collection(Lanes.Browser)]
public sealed class AdminPagesBrowserTests(TestDatabase database) : IAsyncLifetime
{
    private BrowserApp _session = null!;

    public async Task InitializeAsync() => _session = await database.StartBrowserTestAsync();

    public async Task DisposeAsync()
    {
        // The shared database's other classes run detection without an uploaded roster.
        await using (var scope = _session.App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<AppDbContext>().Set<RosterUpload>().ExecuteDeleteAsync();
        }
        await _session.DisposeAsync();
    }

    [Fact]
    public async Task Admin_GivesSeveralRoles_DisablesAndEnables_UnlocksAndSendsAReset()
    {
        var (admin, errors) = await BrowserSignIn.SignInAsync(_session, Roles.Admin, "/admin/users");
        admin.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        var member = await BrowserSignIn.SignInAsync(_session, Roles.RecordsOfficer);
        var email = member.Email;
        await admin.ReloadAsync();
        var row = admin.Locator($"#users tr[data-user='{email}']");

        // Several roles: officer and counsel.
        await row.GetByLabel("Counsel").CheckAsync();
        await row.GetByRole(AriaRole.Button, new() { Name = "Save roles" }).ClickAsync();
        await Assertions.Expect(admin.Locator("#users-message")).ToHaveTextAsync($"{email}: Records access officer, Counsel.");
        await Assertions.Expect(row.Locator("td").Nth(2)).ToHaveTextAsync("Records access officer, Counsel");

        // Disable: the member's open session ends at once and their password no longer signs in.
        await row.GetByRole(AriaRole.Button, new() { Name = "Disable" }).ClickAsync();
        await Assertions.Expect(admin.Locator("#users-message")).ToContainTextAsync("is disabled");
        await Assertions.Expect(row.Locator(".sign-in-state")).ToHaveTextAsync("Disabled");
        await Accessibility.AssertNoViolationsAsync(admin);
        await Shot(admin, "users-disabled");
        await member.Page.GotoAsync("/dashboard");
        await Assertions.Expect(member.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/sign-in"));
        await member.Page.GetByLabel("E-mail").FillAsync(email);
        await member.Page.GetByLabel("Password").FillAsync(WebSession.Password);
        await member.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(member.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/sign-in"));

        // Enable, then five wrong passwords slow the account; "Allow sign-in now" lifts it and the right password works.
        await row.GetByRole(AriaRole.Button, new() { Name = "Enable" }).ClickAsync();
        await Assertions.Expect(row.Locator(".sign-in-state")).ToHaveTextAsync("Active");
        for (var i = 0; i < 5; i++)
        {
            await member.Page.GotoAsync("/account/sign-in");
            await member.Page.GetByLabel("E-mail").FillAsync(email);
            await member.Page.GetByLabel("Password").FillAsync("wrong-password-" + i);
            await member.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        }
        await admin.ReloadAsync();
        await Assertions.Expect(row.Locator(".sign-in-state")).ToContainTextAsync("Slowed down: 5 failed attempts");
        await Shot(admin, "users-slowed");
        await row.GetByRole(AriaRole.Button, new() { Name = "Allow sign-in now" }).ClickAsync();
        await Assertions.Expect(row.Locator(".sign-in-state")).ToHaveTextAsync("Active");
        await member.Page.GotoAsync("/account/sign-in");
        await member.Page.GetByLabel("E-mail").FillAsync(email);
        await member.Page.GetByLabel("Password").FillAsync(WebSession.Password);
        await member.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        // The password is accepted; holding the counsel role now, the member must set up two-factor sign-in first.
        await Assertions.Expect(member.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/two-factor/setup"));

        // A reset link by e-mail.
        await row.GetByRole(AriaRole.Button, new() { Name = "Send password reset" }).ClickAsync();
        await Assertions.Expect(admin.Locator("#users-message")).ToHaveTextAsync($"A password reset link was sent to {email}.");
        var reset = await QueryAsync(db => db.Set<OutboundEmail>().SingleAsync(m => m.Kind == MailKind.PasswordReset && m.ToAddress == email));
        Assert.Contains("/account/reset-password?user=", reset.BodyText, StringComparison.Ordinal);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public async Task Admin_UploadsARoster_SeesTheColumnsUnderstoodAndCounts_ThenPutsItInUse()
    {
        var (admin, errors) = await BrowserSignIn.SignInAsync(_session, Roles.Admin, "/admin/roster");
        await Assertions.Expect(admin.Locator("#roster-in-use")).ToContainTextAsync("no roster yet");
        const string csv = "Student ID,First Name,Last Name,DOB,Guardian 1,Homeroom\n" +
                           "1001,Maya,Okafor,2012-03-04,Chidi Okafor,7B\n" +
                           "1002,Liam,Walsh,2011-11-30,,7A\n" +
                           "1003,Ana,,2012-01-15,Rosa Diaz,7B\n";
        await admin.Locator("#Upload").SetInputFilesAsync(new FilePayload { Name = "students.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await admin.GetByRole(AriaRole.Button, new() { Name = "Upload and check" }).ClickAsync();
        await Assertions.Expect(admin.Locator("#roster-columns tbody tr td:nth-child(2)")).ToHaveTextAsync(
            ["Student ID", "First name", "Last name", "Date of birth", "Parent or guardian", "Not used"]);
        var counts = admin.Locator("#roster-counts");
        await Assertions.Expect(counts.Locator("tr", new() { HasText = "Students" }).Locator("td")).ToHaveTextAsync("3");
        await Assertions.Expect(counts.Locator("tr", new() { HasText = "With a parent or guardian" }).Locator("td")).ToHaveTextAsync("2");
        await Assertions.Expect(counts.Locator("tr", new() { HasText = "Missing a first or last name" }).Locator("td")).ToHaveTextAsync("1");
        // Headings and counts only: no student's data on the page.
        Assert.DoesNotContain("Okafor", await admin.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await QueryAsync(db => db.Set<RosterUpload>().CountAsync()));
        await Accessibility.AssertNoViolationsAsync(admin);
        await Shot(admin, "roster-preview");

        await admin.Locator("#use-roster").ClickAsync();
        await Assertions.Expect(admin.Locator("#roster-message")).ToHaveTextAsync("Detection now uses students.csv: 3 students.");
        await Assertions.Expect(admin.Locator("#roster-in-use")).ToContainTextAsync("students.csv, 3 students");
        await using (var scope = _session.App.Services.CreateAsyncScope())
        {
            var roster = await scope.ServiceProvider.GetRequiredService<RosterSource>().LoadAsync(default);
            Assert.Contains(roster!.Students, s => s.FirstName == "Maya" && s.LastName == "Okafor" && s.StudentId == "1001");
        }

        // A file without name columns is refused with the reason, and the roster in use stays.
        await admin.Locator("#Upload").SetInputFilesAsync(new FilePayload { Name = "wrong.csv", MimeType = "text/csv", Buffer = "id,grade\n1,7\n"u8.ToArray() });
        await admin.GetByRole(AriaRole.Button, new() { Name = "Upload and check" }).ClickAsync();
        await Assertions.Expect(admin.Locator("#roster-error")).ToContainTextAsync("first_name and last_name");
        await Assertions.Expect(admin.Locator("#roster-in-use")).ToContainTextAsync("students.csv, 3 students");
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public async Task Admin_ImportsAZipOfDocumentsFromTheBrowser_AndFollowsItToTheEnd()
    {
        var (admin, errors) = await BrowserSignIn.SignInAsync(_session, Roles.Admin, "/archive/import");
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, text) in new[] { ("bus-routes.txt", "Spring bus routes for the Westfield middle school, revised."), ("menu.txt", "Lunch menu for the week of the science fair.") })
            {
                await using var entry = archive.CreateEntry(name).Open();
                await entry.WriteAsync(Encoding.UTF8.GetBytes(text));
            }
        }
        await admin.Locator("#Archive").SetInputFilesAsync(new FilePayload { Name = "transport office.zip", MimeType = "application/zip", Buffer = zip.ToArray() });
        await admin.Locator("#Custodian").FillAsync("Transportation office");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Upload and import" }).ClickAsync();
        var row = admin.Locator("#imports tbody tr").First;
        await Assertions.Expect(row).ToContainTextAsync("transport office.zip");
        // The page refreshes itself while the import runs.
        await Assertions.Expect(row.Locator(".import-progress strong")).ToHaveTextAsync("Done", new() { Timeout = 120_000 });
        await Assertions.Expect(row.Locator(".import-progress")).ToContainTextAsync("Imported 2 new items");
        await Accessibility.AssertNoViolationsAsync(admin);
        await Shot(admin, "archive-import");

        // Searchable at once.
        await admin.GotoAsync("/archive?q=science+fair");
        await Assertions.Expect(admin.Locator("ol.hits")).ToContainTextAsync("menu.txt");
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    private async Task<T> QueryAsync<T>(Func<AppDbContext, Task<T>> query)
    {
        await using var scope = _session.App.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    private static Task Shot(IPage page, string name) => Infrastructure.Browser.ScreenshotAsync(page, "admin-" + name);
}
