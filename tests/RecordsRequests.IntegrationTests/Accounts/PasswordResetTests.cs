using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Mail;
using RecordsRequests.IntegrationTests.Infrastructure;

namespace RecordsRequests.IntegrationTests.Accounts;

/// <summary>Password reset by e-mail through the outbox, and the lockout that guards sign-in.</summary>
[Collection(Lanes.StaffPages)]
public sealed partial class PasswordResetTests(TestDatabase database) : IAsyncLifetime
{
    private const string NewPassword = "Fresh-Staple-Lantern-42";

    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await database.StartTestAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ForgottenPassword_ResetThroughTheMailedLink_NewPasswordWorksAndOldIsRejected()
    {
        var email = await WebSession.CreateStaffAsync(_app, Roles.RecordsOfficer);
        using var browser = _app.CreateClient();
        Assert.Contains("href=\"/account/forgot-password\"", await browser.GetStringAsync("/account/sign-in"), StringComparison.Ordinal);

        var known = await RequestResetAsync(browser, email);
        var link = ResetLink().Match(await Query(db => db.Set<OutboundEmail>().Where(m => m.ToAddress == email && m.Kind == MailKind.PasswordReset).Select(m => m.BodyText).SingleAsync()));
        Assert.True(link.Success);

        var form = await browser.GetStringAsync(link.Groups[1].Value);
        Assert.Contains("Set the new password", form, StringComparison.Ordinal);
        var token = WebUtility.HtmlDecode(Regex.Match(form, "name=\"Token\" value=\"([^\"]+)\"").Groups[1].Value);
        var user = WebUtility.HtmlDecode(Regex.Match(form, "name=\"user\" value=\"([^\"]+)\"").Groups[1].Value);
        var reset = await WebSession.PostFormAsync(browser, link.Groups[1].Value, new()
        {
            ["user"] = user, ["Token"] = token, ["NewPassword"] = NewPassword, ["ConfirmPassword"] = NewPassword,
        });
        Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
        Assert.Equal("/account/sign-in", reset.Headers.Location!.OriginalString);

        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(email, NewPassword)).StatusCode);
        var old = await SignInAsync(email, WebSession.Password);
        Assert.Equal(HttpStatusCode.OK, old.StatusCode);
        Assert.Contains("The e-mail or password is not correct.", await old.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // A used link is spent: the password change renewed the security stamp the token was bound to.
        Assert.Contains("id=\"invalid-link\"", await browser.GetStringAsync(link.Groups[1].Value), StringComparison.Ordinal);

        // The same answer for an address with no account, and nothing is sent.
        var unknownAddress = $"nobody-{Guid.NewGuid():N}@district.example";
        Assert.Equal(known, await RequestResetAsync(_app.CreateClient(), unknownAddress));
        Assert.False(await Query(db => db.Set<OutboundEmail>().AnyAsync(m => m.ToAddress == unknownAddress)));
    }

    [Fact]
    public async Task ResetPage_WithAForgedToken_ShowsNoFormAndChangesNothing()
    {
        var email = await WebSession.CreateStaffAsync(_app, Roles.Counsel);
        var userId = await Query(db => db.Set<StaffUser>().Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
        using var browser = _app.CreateClient();
        var path = $"/account/reset-password?user={userId}&token=Zm9yZ2VkLXRva2Vu";

        var page = await browser.GetStringAsync(path);
        Assert.Contains("id=\"invalid-link\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"NewPassword\"", page, StringComparison.Ordinal);
        // Posting anyway (the sign-in page supplies an anti-forgery token) changes nothing.
        var signInForm = await browser.GetStringAsync("/account/sign-in");
        var antiforgery = WebUtility.HtmlDecode(Regex.Match(signInForm, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value);
        var posted = await browser.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = antiforgery, ["NewPassword"] = NewPassword, ["ConfirmPassword"] = NewPassword,
        }));
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(email, WebSession.Password)).StatusCode);
    }

    [Fact]
    public async Task SignIn_AfterFiveWrongPasswords_ThatClientMustWait_ButTheAccountIsNotLocked()
    {
        var email = await WebSession.CreateStaffAsync(_app, Roles.RecordsOfficer);
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            Assert.Equal(HttpStatusCode.OK, (await SignInAsync(email, $"Wrong-Password-{attempt}x")).StatusCode);
        }

        var waiting = await SignInAsync(email, WebSession.Password);

        // This client guessed five times: it waits even with the right password. Nobody else is shut out
        // (PublicDoorTests signs the owner in from another address at once).
        Assert.Equal(HttpStatusCode.TooManyRequests, waiting.StatusCode);
        Assert.Contains("Too many failed attempts from this computer", await waiting.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(waiting.Headers.RetryAfter is not null);
        Assert.False(await Query(db => db.Set<StaffUser>().Where(u => u.Email == email).Select(u => u.LockoutEnd > DateTimeOffset.UtcNow).SingleAsync()));
    }

    private static async Task<string> RequestResetAsync(HttpClient browser, string email)
    {
        var posted = await WebSession.PostFormAsync(browser, "/account/forgot-password", new() { ["Email"] = email });
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var page = await browser.GetStringAsync("/account/forgot-password");
        return WebUtility.HtmlDecode(Regex.Match(page, "id=\"reset-message\">([^<]+)<").Groups[1].Value);
    }

    private async Task<HttpResponseMessage> SignInAsync(string email, string password) =>
        await WebSession.PostFormAsync(_app.CreateClient(), "/account/sign-in", new() { ["Email"] = email, ["Password"] = password });

    private async Task<T> Query<T>(Func<AppDbContext, Task<T>> query)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    [GeneratedRegex(@"https?://[^/\s]+(/account/reset-password\?user=[^&\s]+&token=[A-Za-z0-9_-]+)")]
    private static partial Regex ResetLink();
}
