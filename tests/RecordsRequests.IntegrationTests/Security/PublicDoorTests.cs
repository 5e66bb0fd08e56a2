using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Mail;
using RecordsRequests.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace RecordsRequests.IntegrationTests.Security;

/// <summary>
/// The findings of issue 15 at the web doors, each as an attacker would try it: a copied cookie after sign-out, account
/// discovery and lockout at sign-in, a flood and a replay of the public form, a bot filling the hidden field, and a
/// mailbox flooded with reset links. The app trusts X-Forwarded-For from 127.0.0.1 here, so each test can speak as
/// several client addresses.
/// </summary>
[Collection(Lanes.OwnHosts)]
public sealed partial class PublicDoorTests(TestDatabase database, ITestOutputHelper output) : IAsyncLifetime
{
    private TestApp _app = null!;

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        _app = await TestApp.StartAsync(database, new Dictionary<string, string?>
        {
            ["Hosting:TrustedProxies:0"] = "127.0.0.1",
            ["RateLimits:PublicFormPerClient:Permits"] = "3",
            ["RateLimits:PublicFormPerClient:Window"] = "00:10:00",
        });
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private HttpClient ClientFrom(string address)
    {
        var client = _app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return client;
    }

    [Fact]
    public async Task SignOut_EndsTheSession_ACopiedCookieNoLongerOpensTheDashboard()
    {
        using var officer = ClientFrom("198.51.100.20");
        await WebSession.SignInAsync(officer, await WebSession.CreateStaffAsync(_app, Roles.RecordsOfficer));
        var cookie = CookieHeader(officer).Single();
        using var thief = ClientFrom("203.0.113.20");
        thief.DefaultRequestHeaders.Add("Cookie", cookie);
        Assert.Equal(HttpStatusCode.OK, (await thief.GetAsync("/dashboard")).StatusCode);

        var dashboard = await officer.GetStringAsync("/dashboard");
        var token = WebUtility.HtmlDecode(AntiforgeryField().Match(dashboard).Groups[1].Value);
        var signedOut = await officer.PostAsync("/account/sign-out", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);

        var afterSignOut = await thief.GetAsync("/dashboard");
        Assert.Equal(HttpStatusCode.Redirect, afterSignOut.StatusCode);
        Assert.StartsWith("/account/sign-in", afterSignOut.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StaffSession_IdleForThirtyMinutes_Ends()
    {
        var cookie = _app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>>()
            .Get(IdentityConstants.ApplicationScheme);
        Assert.IsType<StaffSessionStore>(cookie.SessionStore);
        using var officer = ClientFrom("198.51.100.21");
        var idleEmail = await WebSession.CreateStaffAsync(_app, Roles.RecordsOfficer);
        await WebSession.SignInAsync(officer, idleEmail);
        using var colleague = ClientFrom("198.51.100.22");
        var busyEmail = await WebSession.CreateStaffAsync(_app, Roles.RecordsOfficer);
        await WebSession.SignInAsync(colleague, busyEmail);
        Assert.Equal(HttpStatusCode.OK, (await officer.GetAsync("/dashboard")).StatusCode);

        // 31 and 29 minutes without a request (the sessions' last use is moved back instead of waiting); the default limit is 30.
        await database.ScalarAsync($"UPDATE staff_sessions SET last_seen_at = now() - interval '31 minutes' WHERE user_id = (SELECT id FROM \"AspNetUsers\" WHERE email = '{idleEmail}'); SELECT 0");
        await database.ScalarAsync($"UPDATE staff_sessions SET last_seen_at = now() - interval '29 minutes' WHERE user_id = (SELECT id FROM \"AspNetUsers\" WHERE email = '{busyEmail}'); SELECT 0");

        var idle = await officer.GetAsync("/dashboard");
        Assert.Equal(HttpStatusCode.Redirect, idle.StatusCode);
        Assert.StartsWith("/account/sign-in", idle.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await colleague.GetAsync("/dashboard")).StatusCode);
    }

    [Fact]
    public async Task SignIn_RealAndUnknownAccounts_AnswerAlike_AndStrangersNeverLockTheOwnerOut()
    {
        var officer = await WebSession.CreateStaffAsync(_app, Roles.Admin);
        var unknown = $"nobody-{Guid.NewGuid():N}@district.example";

        // Same words, and (printed, not asserted: timers are noisy) the same time, for a real and an unknown account.
        var real = await FailedSignInsAsync("203.0.113.10", officer, 4);
        var none = await FailedSignInsAsync("203.0.113.11", unknown, 4);
        output.WriteLine($"wrong password, real account: median {Median(real.Times):0.0} ms; unknown account: median {Median(none.Times):0.0} ms");
        Assert.All(real.Answers.Concat(none.Answers), answer => Assert.Equal((HttpStatusCode.OK, SignInModel.Incorrect), answer));

        // A stranger keeps guessing the officer's password and an unknown one: after five tries that address must wait,
        // with the same words for both, and a Retry-After.
        var attackOnReal = await FailedSignInsAsync("203.0.113.9", officer, 7);
        var attackOnNone = await FailedSignInsAsync("203.0.113.9", unknown, 7);
        Assert.Equal(attackOnReal.Answers.Select(a => a.Status), attackOnNone.Answers.Select(a => a.Status));
        Assert.Equal(attackOnReal.Answers.Select(a => a.Text), attackOnNone.Answers.Select(a => a.Text));
        Assert.Equal(HttpStatusCode.TooManyRequests, attackOnReal.Answers[^1].Status);
        Assert.Contains("Too many failed attempts", attackOnReal.Answers[^1].Text, StringComparison.Ordinal);

        // The officer, at their own computer, signs in at once: failures never lock the account.
        using var owner = ClientFrom("198.51.100.7");
        await WebSession.SignInAsync(owner, officer);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/dashboard")).StatusCode);
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var user = await scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>().FindByEmailAsync(officer);
            Assert.Null(user!.LockoutEnd);
        }

        // The guessing shows on the admin page as a burst, with the address and the account typed.
        var page = await owner.GetStringAsync("/admin/abuse");
        Assert.Contains("203.0.113.9", page, StringComparison.Ordinal);
        Assert.Contains(officer, page, StringComparison.Ordinal);
        Assert.Contains("refused: over the limit", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublicForm_Flood_IsThrottledWith429AndSendsNothingBeyondTheLimit()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        using var flooder = ClientFrom("203.0.113.30");
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 6; i++)
        {
            answers.Add(await WebSession.PostFormAsync(flooder, "/submit", new()
            {
                ["Input.Name"] = "Flood",
                ["Input.Email"] = $"victim-{run}-{i}@elsewhere.example",
                ["Input.Description"] = $"Flood {run} number {i}",
            }));
        }

        Assert.Equal(3, answers.Count(a => a.StatusCode == HttpStatusCode.Redirect));
        var refused = answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(3, refused.Count);
        Assert.All(refused, r => Assert.True(int.Parse(r.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) > 0));
        Assert.Contains("Nothing was sent or saved", await refused[0].Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(3, await database.ScalarAsync($"SELECT count(*) FROM requests WHERE description LIKE 'Flood {run}%'"));
        Assert.Equal(0, await database.ScalarAsync($"SELECT count(*) FROM outbound_emails WHERE to_address LIKE 'victim-{run}-%' AND (to_address LIKE '%-3@%' OR to_address LIKE '%-4@%' OR to_address LIKE '%-5@%')"));
        Assert.True(await database.ScalarAsync("SELECT count(*) FROM abuse_events WHERE channel = 'PublicForm' AND outcome = 'throttled' AND client = '203.0.113.30'") >= 3);

        // Another address is not affected by one client's flood.
        using var neighbour = ClientFrom("198.51.100.30");
        Assert.Equal(HttpStatusCode.Redirect, (await WebSession.PostFormAsync(neighbour, "/submit", new()
        {
            ["Input.Email"] = $"neighbour-{run}@elsewhere.example",
            ["Input.Description"] = $"Neighbour {run}",
        })).StatusCode);
    }

    [Fact]
    public async Task PublicForm_ReplayedFormAndToken_OpensOneRequestOnly()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        using var replayer = ClientFrom("203.0.113.40");
        var form = await replayer.GetStringAsync("/submit");
        var fields = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(AntiforgeryField().Match(form).Groups[1].Value),
            ["Ticket"] = WebUtility.HtmlDecode(WebSession.FormTicket().Match(form).Groups[1].Value),
            ["Input.Email"] = $"replay-{run}@elsewhere.example",
            ["Input.Description"] = $"Replay {run}",
        };

        var first = await replayer.PostAsync("/submit", new FormUrlEncodedContent(fields));
        var second = await replayer.PostAsync("/submit", new FormUrlEncodedContent(fields));

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains("already sent", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await database.ScalarAsync($"SELECT count(*) FROM requests WHERE description = 'Replay {run}'"));
    }

    [Fact]
    public async Task PublicForm_HiddenFieldFilled_IsHeldForAnOfficerAndAnswersNoOne()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        using var bot = ClientFrom("203.0.113.50");

        var posted = await WebSession.PostFormAsync(bot, "/submit", new()
        {
            ["Website"] = "http://spam.example",
            ["Input.Email"] = $"bot-{run}@elsewhere.example",
            ["Input.Description"] = $"Bot {run} buy now",
        });

        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Equal(0, await database.ScalarAsync($"SELECT count(*) FROM requests WHERE description LIKE 'Bot {run}%'"));
        Assert.Equal(0, await database.ScalarAsync($"SELECT count(*) FROM outbound_emails WHERE to_address = 'bot-{run}@elsewhere.example'"));
        Assert.Equal(1, await database.ScalarAsync($"SELECT count(*) FROM inbound_messages WHERE source = 'WebForm' AND classification = 'Quarantined' AND from_address = 'bot-{run}@elsewhere.example'"));
    }

    [Fact]
    public async Task PasswordReset_ManyRequestsForOneAccount_SendAFewMailsAndTheSameAnswer()
    {
        var officer = await WebSession.CreateStaffAsync(_app, Roles.RecordsOfficer);
        var answers = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            using var client = ClientFrom($"203.0.113.{60 + i}");
            var response = await WebSession.PostFormAsync(client, "/account/forgot-password", new() { ["Email"] = officer });
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            answers.Add(await client.GetStringAsync(response.Headers.Location!.ToString()));
        }

        Assert.All(answers, page => Assert.Contains(ForgotPasswordModel.Sent, page, StringComparison.Ordinal));
        Assert.Equal(3, await database.ScalarAsync($"SELECT count(*) FROM outbound_emails WHERE kind = 'PasswordReset' AND to_address = '{officer}'"));
    }

    [Fact]
    public async Task ForgedHostHeader_IsRefused_NeverEchoedIntoARedirect()
    {
        using var client = ClientFrom("203.0.113.70");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/dashboard");
        request.Headers.Host = "evil.example";

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/dashboard")).StatusCode);
    }

    [Theory]
    [InlineData("a@b", "Give a complete e-mail address")]
    [InlineData("records@demo-district.example", "one of the district's own addresses")]
    [InlineData("Superintendent@Schools.Demo-District.Example", "one of the district's own addresses")]
    public async Task PublicForm_AnAddressNoReplyCanReach_OrTheDistrictsOwn_IsRefusedWithTheReason(string email, string reason)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        using var client = ClientFrom($"203.0.113.{80 + Math.Abs(email.GetHashCode(StringComparison.Ordinal) % 100)}");

        var response = await WebSession.PostFormAsync(client, "/submit", new()
        {
            ["Input.Email"] = email,
            ["Input.Description"] = $"Address check {run}",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(reason, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        await using var scope = _app.Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<AppDbContext>().Requests.AnyAsync(r => r.Description.Contains(run)));
    }

    [Fact]
    public void Greeting_KeepsAPlainNameAndDropsRelayedText()
    {
        Assert.Equal("Dana O'Neil", Greeting.NameFor("  Dana   O'Neil "));
        Assert.Equal("requester", Greeting.NameFor("Win a prize\r\nVisit http://spam.example now"));
        Assert.Equal("requester", Greeting.NameFor(new string('x', 300)));
        Assert.Equal("requester", Greeting.NameFor("pay@scam.example"));
        Assert.Equal("Eve evil", Greeting.NameFor("Eve\u202Eevil"));
    }

    private async Task<(List<(HttpStatusCode Status, string Text)> Answers, List<double> Times)> FailedSignInsAsync(string address, string email, int tries)
    {
        using var client = ClientFrom(address);
        var answers = new List<(HttpStatusCode, string)>();
        var times = new List<double>();
        for (var i = 0; i < tries; i++)
        {
            var form = await client.GetStringAsync("/account/sign-in");
            var token = WebUtility.HtmlDecode(AntiforgeryField().Match(form).Groups[1].Value);
            var watch = Stopwatch.StartNew();
            var response = await client.PostAsync("/account/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token,
                ["Email"] = email,
                ["Password"] = "Wrong-Password-123",
            }));
            times.Add(watch.Elapsed.TotalMilliseconds);
            var page = await response.Content.ReadAsStringAsync();
            answers.Add((response.StatusCode, WebUtility.HtmlDecode(ErrorSummary().Match(page).Groups[1].Value.Trim())));
        }
        return (answers, times);
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private IEnumerable<string> CookieHeader(HttpClient client)
    {
        // The test client's cookie jar is inside its handler; read what it would send to the app.
        var handler = typeof(HttpMessageInvoker).GetField("_handler", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
            .GetValue(client) as HttpClientHandler;
        var header = handler!.CookieContainer.GetCookieHeader(_app.Address);
        return [string.Join("; ", header.Split("; ").Where(c => c.StartsWith("records.auth", StringComparison.Ordinal)))];
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("<li>([^<]*)</li>")]
    private static partial Regex ErrorSummary();
}
