using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using RecordsRequests.Features.Accounts;
using RecordsRequests.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace RecordsRequests.IntegrationTests.Accounts;

/// <summary>
/// Issue 15, deliver 5: two-factor sign-in with an authenticator app, through the real pages. The test plays the phone:
/// it reads the key off the setup page and computes RFC 6238 codes itself (<see cref="Totp"/>).
/// </summary>
[Collection(Lanes.StaffPages)]
public sealed partial class TwoFactorTests(TestDatabase database, ITestOutputHelper output) : IAsyncLifetime
{
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await database.StartTestAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static Task<HttpResponseMessage> PasswordAsync(HttpClient client, string email) =>
        WebSession.PostFormAsync(client, "/account/sign-in", new() { ["Email"] = email, ["Password"] = WebSession.Password });

    [Fact]
    public async Task Counsel_WithoutAnApp_IsSentToSetItUp_ThenSignsInOnlyWithACodeOrARecoveryCode()
    {
        var email = await WebSession.CreateStaffAsync(_app, Roles.Counsel, enrolTwoFactor: false);
        using var browser = _app.CreateClient();

        var afterPassword = await PasswordAsync(browser, email);

        Assert.Equal(HttpStatusCode.Redirect, afterPassword.StatusCode);
        Assert.StartsWith(TwoFactor.SetupPage + "?returnUrl=", afterPassword.Headers.Location!.OriginalString, StringComparison.Ordinal);
        // The password alone opens nothing.
        Assert.StartsWith("/account/sign-in", (await browser.GetAsync("/counsel")).Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        var setup = await browser.GetStringAsync(afterPassword.Headers.Location!.OriginalString);
        Assert.Contains("Administrators and counsel sign in with a code from an authenticator app", setup, StringComparison.Ordinal);
        Assert.Contains("src=\"data:image/png;base64,", setup, StringComparison.Ordinal);
        var key = Key().Match(setup).Groups[1].Value.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        Assert.Equal(32, key.Length);
        Assert.Contains($"secret={key}&amp;issuer=", setup, StringComparison.Ordinal);

        var wrong = await EnableAsync(browser, new() { ["Code"] = WrongCode(key) });
        Assert.Contains("That code is not right", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.StartsWith("/account/sign-in", (await browser.GetAsync("/counsel")).Headers.Location!.PathAndQuery, StringComparison.Ordinal);

        var enabled = await EnableAsync(browser, new() { ["Code"] = await Totp.FreshCodeAsync(key) });
        var codes = RecoveryCode().Matches(await enabled.Content.ReadAsStringAsync()).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(10, codes.Count);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/counsel")).StatusCode);

        // Next time: password, then the code page. Someone with only the password cannot set up another app.
        using var next = _app.CreateClient();
        var again = await PasswordAsync(next, email);
        Assert.StartsWith(TwoFactor.CodePage + "?returnUrl=", again.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var replaceApp = await next.GetAsync(TwoFactor.SetupPage);
        Assert.StartsWith(TwoFactor.CodePage, replaceApp.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.StartsWith("/account/sign-in", (await next.GetAsync("/counsel")).Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        var withCode = await WebSession.PostFormAsync(next, again.Headers.Location!.OriginalString, new() { ["Code"] = await Totp.FreshCodeAsync(key) });
        Assert.Equal("/dashboard", withCode.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await next.GetAsync("/counsel")).StatusCode);

        // A recovery code works once.
        using var lostPhone = _app.CreateClient();
        await PasswordAsync(lostPhone, email);
        var recovered = await WebSession.PostFormAsync(lostPhone, TwoFactor.CodePage, new() { ["Code"] = codes[0] });
        Assert.Equal(HttpStatusCode.Redirect, recovered.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await lostPhone.GetAsync("/counsel")).StatusCode);
        using var replay = _app.CreateClient();
        await PasswordAsync(replay, email);
        var reused = await WebSession.PostFormAsync(replay, TwoFactor.CodePage, new() { ["Code"] = codes[0] });
        Assert.Contains(WebUtility.HtmlEncode(TwoFactorCodeModel.WrongCode), await reused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Officer_IsOfferedTwoFactor_NotForcedIntoIt_AndOnceOnNeedsTheCode()
    {
        var email = await WebSession.CreateStaffAsync(_app, Roles.RecordsOfficer);
        using var officer = _app.CreateClient();
        var signedIn = await PasswordAsync(officer, email);
        Assert.Equal("/dashboard", signedIn.Headers.Location!.OriginalString);

        var setup = await officer.GetStringAsync(TwoFactor.SetupPage);
        Assert.Contains("Protect your account with a code from an authenticator app", setup, StringComparison.Ordinal);
        var key = Key().Match(setup).Groups[1].Value.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        var enabled = await EnableAsync(officer, new() { ["Code"] = await Totp.FreshCodeAsync(key) });
        Assert.Equal(10, RecoveryCode().Matches(await enabled.Content.ReadAsStringAsync()).Count);
        // Still signed in after the account changed.
        Assert.Equal(HttpStatusCode.OK, (await officer.GetAsync("/dashboard")).StatusCode);
        Assert.Contains("Two-factor sign-in is on", await officer.GetStringAsync(TwoFactor.SetupPage), StringComparison.Ordinal);

        using var later = _app.CreateClient();
        Assert.StartsWith(TwoFactor.CodePage, (await PasswordAsync(later, email)).Headers.Location!.OriginalString, StringComparison.Ordinal);
        WebSession.RememberAuthenticatorKey(email, key);
        using var helper = _app.CreateClient();
        await WebSession.SignInAsync(helper, email);
        Assert.Equal(HttpStatusCode.OK, (await helper.GetAsync("/dashboard")).StatusCode);
    }

    [Fact]
    public async Task WrongCodes_AreCountedAgainstTheAccount_SoSixDigitsCannotBeGuessed()
    {
        var email = await WebSession.CreateStaffAsync(_app, Roles.Admin);
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            // A fresh computer each time: the count follows the account, not the browser.
            using var guesser = _app.CreateClient();
            await PasswordAsync(guesser, email);
            answers.Add((await WebSession.PostFormAsync(guesser, TwoFactor.CodePage, new() { ["Code"] = WrongCode(WebSession.AuthenticatorKeyOf(email)) })).StatusCode);
        }
        output.WriteLine(string.Join(", ", answers));
        Assert.Equal(5, answers.Count(a => a == HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.TooManyRequests, answers[^1]);

        using var owner = _app.CreateClient();
        await PasswordAsync(owner, email);
        var blocked = await WebSession.PostFormAsync(owner, TwoFactor.CodePage, new() { ["Code"] = await WebSession.NextCodeAsync(email) });
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.Contains("Too many wrong codes for this account", await blocked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(await database.ScalarAsync($"SELECT count(*) FROM abuse_events WHERE outcome = 'code-failed' AND account = '{email}'") >= 5);
    }

    [Fact]
    public async Task ACode_OpensTheAccountOnce_NotAgainFromAnotherComputer_NorAnEarlierCode_AndTheAppsNextCodeWorks()
    {
        var email = await WebSession.CreateStaffAsync(_app, Roles.Admin);
        var key = WebSession.AuthenticatorKeyOf(email);
        var code = await Totp.FreshCodeAsync(key);
        using var owner = _app.CreateClient();
        await PasswordAsync(owner, email);
        Assert.Equal("/dashboard", (await WebSession.PostFormAsync(owner, TwoFactor.CodePage, new() { ["Code"] = code })).Headers.Location!.OriginalString);

        // Someone who saw the code (over a shoulder, through a fake page) and knows the password, within the same 30 seconds.
        using var onlooker = _app.CreateClient();
        await PasswordAsync(onlooker, email);
        var replayed = await WebSession.PostFormAsync(onlooker, TwoFactor.CodePage, new() { ["Code"] = code });
        Assert.Equal(HttpStatusCode.OK, replayed.StatusCode);
        Assert.Contains(WebUtility.HtmlEncode(TwoFactorCodeModel.WrongCode), await replayed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.StartsWith("/account/sign-in", (await onlooker.GetAsync("/admin")).Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        // A code from before the one used is still inside the clock-drift window, and refused too.
        var earlier = Totp.Code(key, DateTimeOffset.UtcNow.AddSeconds(-30));
        Assert.Contains(WebUtility.HtmlEncode(TwoFactorCodeModel.WrongCode),
            await (await WebSession.PostFormAsync(onlooker, TwoFactor.CodePage, new() { ["Code"] = earlier })).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Two sign-ins racing with one new code: exactly one gets in.
        var racing = await Totp.FreshCodeAsync(key);
        using var left = _app.CreateClient();
        using var right = _app.CreateClient();
        await PasswordAsync(left, email);
        await PasswordAsync(right, email);
        var answers = await Task.WhenAll(WebSession.PostFormAsync(left, TwoFactor.CodePage, new() { ["Code"] = racing }),
            WebSession.PostFormAsync(right, TwoFactor.CodePage, new() { ["Code"] = racing }));
        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.Redirect && a.Headers.Location!.OriginalString == "/dashboard"));

        // The owner's next sign-in, with the code the app shows next, works.
        using var later = _app.CreateClient();
        await WebSession.SignInAsync(later, email);
        Assert.Equal(HttpStatusCode.OK, (await later.GetAsync("/admin")).StatusCode);
    }

    [Fact]
    public async Task AnAdminResetsAnotherMembersSecondFactor_TheirSessionsEnd_TheOldAppNoLongerOpensTheAccount_AndItIsAudited()
    {
        var counsel = await WebSession.CreateStaffAsync(_app, Roles.Counsel);
        using var counselBrowser = _app.CreateClient();
        await WebSession.SignInAsync(counselBrowser, counsel);
        Assert.Equal(HttpStatusCode.OK, (await counselBrowser.GetAsync("/counsel")).StatusCode);
        string counselId;
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            counselId = (await scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>().FindByEmailAsync(counsel))!.Id;
        }
        var adminEmail = await WebSession.CreateStaffAsync(_app, Roles.Admin);
        using var admin = _app.CreateClient();
        await WebSession.SignInAsync(admin, adminEmail);
        Assert.Contains("Reset two-factor sign-in", await admin.GetStringAsync("/admin/users"), StringComparison.Ordinal);

        var reset = await WebSession.PostFormAsync(admin, "/admin/users?handler=ResetTwoFactor", new() { ["userId"] = counselId });

        Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
        Assert.Contains($"{counsel}&#x27;s authenticator app and recovery codes no longer work, and they were signed out everywhere",
            await admin.GetStringAsync("/admin/users"), StringComparison.Ordinal);
        // Signed out at once, not at the next cookie check.
        Assert.StartsWith("/account/sign-in", (await counselBrowser.GetAsync("/counsel")).Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        // The old app's code no longer opens the account: after the password, counsel must set up a new app.
        using var again = _app.CreateClient();
        var afterPassword = await PasswordAsync(again, counsel);
        Assert.StartsWith(TwoFactor.SetupPage, afterPassword.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var oldCode = await WebSession.NextCodeAsync(counsel);
        Assert.Contains("That code is not right", await (await EnableAsync(again, new() { ["Code"] = oldCode })).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.StartsWith("/account/sign-in", (await again.GetAsync("/counsel")).Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(1, await database.ScalarAsync(
            $"SELECT count(*) FROM audit_events WHERE action = '{StaffAudit.TwoFactorReset}' AND entity_id = '{counselId}' AND actor = '{adminEmail}'"));
        Assert.Equal(0, await database.ScalarAsync($"SELECT count(*) FROM staff_sessions WHERE user_id = '{counselId}'"));
    }

    [Fact]
    public async Task TurningTwoFactorOnAndOff_AndReplacingTheRecoveryCodes_AreEachAudited()
    {
        var email = await WebSession.CreateStaffAsync(_app, Roles.RecordsOfficer);
        using var officer = _app.CreateClient();
        await WebSession.SignInAsync(officer, email);
        var key = Key().Match(await officer.GetStringAsync(TwoFactor.SetupPage)).Groups[1].Value.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();

        await EnableAsync(officer, new() { ["Code"] = await Totp.FreshCodeAsync(key) });
        await PostSetupAsync(officer, "RecoveryCodes");
        var off = await PostSetupAsync(officer, "Disable");
        Assert.Equal(HttpStatusCode.Redirect, off.StatusCode);

        var actions = new[] { StaffAudit.TwoFactorOn, StaffAudit.RecoveryCodesReplaced, StaffAudit.TwoFactorOff };
        foreach (var action in actions)
        {
            Assert.Equal(1, await database.ScalarAsync(
                $"SELECT count(*) FROM audit_events a JOIN \"AspNetUsers\" u ON u.id = a.entity_id WHERE u.email = '{email}' AND a.action = '{action}' AND a.actor = '{email}'"));
        }
        Assert.Contains("Two-factor sign-in is off", await officer.GetStringAsync(TwoFactor.SetupPage), StringComparison.Ordinal);
    }

    /// <summary>The setup page's "Turn on" button, with the anti-forgery token of the page as a browser has it.</summary>
    private static Task<HttpResponseMessage> EnableAsync(HttpClient client, Dictionary<string, string> fields) => PostSetupAsync(client, "Enable", fields);

    /// <summary>One of the setup page's buttons, with the anti-forgery token of the page as a browser has it.</summary>
    private static async Task<HttpResponseMessage> PostSetupAsync(HttpClient client, string handler, Dictionary<string, string>? fields = null)
    {
        fields ??= [];
        var page = await client.GetStringAsync(TwoFactor.SetupPage);
        fields["__RequestVerificationToken"] = WebUtility.HtmlDecode(Antiforgery().Match(page).Groups[1].Value);
        return await client.PostAsync(TwoFactor.SetupPage + "?handler=" + handler, new FormUrlEncodedContent(fields));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Antiforgery();

    /// <summary>A six-digit code that is none of the codes the key gives around now (Identity accepts a few steps either side).</summary>
    private static string WrongCode(string key)
    {
        var now = DateTimeOffset.UtcNow;
        var near = Enumerable.Range(-5, 11).Select(step => Totp.Code(key, now.AddSeconds(30 * step))).ToHashSet();
        return Enumerable.Range(0, 1000).Select(i => ((123456 + i * 7919) % 1000000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture))
            .First(code => !near.Contains(code));
    }

    [GeneratedRegex("id=\"authenticator-key\">([a-z2-7 ]+)<")]
    private static partial Regex Key();

    [GeneratedRegex("<li><code>([^<]+)</code></li>")]
    private static partial Regex RecoveryCode();
}
