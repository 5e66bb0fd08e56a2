using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using RecordsRequests.Features.Intake;
using RecordsRequests.Features.Mail;
using RecordsRequests.IntegrationTests.Infrastructure;
using RecordsRequests.IntegrationTests.Intake;

namespace RecordsRequests.IntegrationTests.Status;

/// <summary>
/// Issue 15, deliver 1: a requester proves an address is theirs by opening the link we mailed to it; only then does
/// mail from that address that names the request join it as theirs.
/// </summary>
[Collection(Lanes.StaffPages)]
public sealed partial class AddressConfirmationTests(TestDatabase database) : IAsyncLifetime
{
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await database.StartTestAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<IntakeResult> ReceiveAsync(byte[] raw)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<MailIntake>().ReceiveAsync(raw, IntakeSource.CommandLine, "confirmation", CancellationToken.None);
    }

    [Fact]
    public async Task MailFromTheRequestersAddress_JoinsTheRequestOnlyAfterTheyOpenedTheConfirmationLink()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var pat = $"pat-{run}@confirm.example";
        var opened = await ReceiveAsync(IntakeTestMail.NewRequest($"Pat <{pat}>", $"Bus routes {run}", "Please send the 2025 bus routes."));
        Assert.Equal(IntakeClassification.Request, opened.Classification);
        var acknowledgement = await AcknowledgementToAsync(_app, pat);
        Assert.Contains($"Please confirm that {pat} is your address by opening this link", acknowledgement, StringComparison.Ordinal);
        var confirmPath = ConfirmLink().Match(acknowledgement).Value;
        var statusPath = StatusLink().Match(acknowledgement).Value;
        using var requester = _app.CreateClient();
        Assert.Contains("Not confirmed yet", await requester.GetStringAsync(statusPath), StringComparison.Ordinal);

        // Before: the requester's own address naming the request is held like anyone's.
        var before = await ReceiveAsync(IntakeTestMail.NewRequest($"Pat <{pat}>", $"About {opened.TrackingNumber} before {run}", "Also the 2024 routes."));
        Assert.Equal(IntakeClassification.UnprovenReply, before.Classification);
        Assert.Contains("has not confirmed their address", before.Reason, StringComparison.Ordinal);

        // Opening the link only shows what it confirms; the button confirms.
        var page = await requester.GetStringAsync(confirmPath);
        Assert.Contains($"<strong>{pat}</strong> is your e-mail address for request <strong>{opened.TrackingNumber}</strong>", page, StringComparison.Ordinal);
        Assert.Equal(0, await database.ScalarAsync($"SELECT count(*) FROM address_confirmations WHERE email = '{pat}' AND confirmed_at IS NOT NULL"));
        var confirmed = await WebSession.PostFormAsync(requester, confirmPath, new());
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Contains("is confirmed as your address", await confirmed.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var after = await ReceiveAsync(IntakeTestMail.NewRequest($"Pat <{pat}>", $"About {opened.TrackingNumber} after {run}", "And the 2023 routes, please."));
        Assert.Equal(IntakeClassification.Reply, after.Classification);
        Assert.Contains("confirmed by our link", after.Reason, StringComparison.Ordinal);
        var status = await requester.GetStringAsync(statusPath);
        Assert.Contains("And the 2023 routes, please.", status, StringComparison.Ordinal);
        Assert.DoesNotContain("Also the 2024 routes.", status, StringComparison.Ordinal);
        Assert.Contains("Confirmed. E-mails you send us from it", status, StringComparison.Ordinal);

        // Someone else's address naming the request is still held.
        var stranger = await ReceiveAsync(IntakeTestMail.NewRequest($"Sam <sam-{run}@elsewhere.example>", $"About {opened.TrackingNumber} {run}", "Withdraw it."));
        Assert.Equal(IntakeClassification.UnprovenReply, stranger.Classification);
    }

    [Fact]
    public async Task Acknowledgement_IsThreadedUnderTheRequestersMessage()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var kim = $"kim-{run}@confirm.example";
        var raw = IntakeTestMail.NewRequest($"Kim <{kim}>", $"Lunch menus {run}", "Please send the 2025 lunch menus.");
        using var asked = await MimeKit.MimeMessage.LoadAsync(new MemoryStream(raw));
        await ReceiveAsync(raw);

        using var acknowledgement = await SentMail.MessageAsync(_app.Services, m => m.Kind == MailKind.Acknowledgement && m.ToAddress == kim);

        Assert.Equal(asked.MessageId, acknowledgement.InReplyTo);
        Assert.Contains(asked.MessageId, acknowledgement.References);
    }

    [Fact]
    public async Task ConfirmationLink_CanBeSentAgainFromTheStatusPage_NotMoreThanOnceInTenMinutes()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var lee = $"lee-{run}@confirm.example";
        var opened = await ReceiveAsync(IntakeTestMail.NewRequest($"Lee <{lee}>", $"Payroll {run}", "Please send the payroll register."));
        var acknowledgement = await AcknowledgementToAsync(_app, lee);
        var statusPath = StatusLink().Match(acknowledgement).Value;
        using var requester = _app.CreateClient();

        var asked = await AskAgainAsync(requester, statusPath);

        Assert.Equal(HttpStatusCode.Redirect, asked.StatusCode);
        Assert.Contains("A confirmation link was sent", await requester.GetStringAsync(statusPath), StringComparison.Ordinal);
        Assert.Equal(0, await database.ScalarAsync($"SELECT count(*) FROM outbound_emails WHERE kind = 'AddressConfirmation' AND to_address = '{lee}'"));
        // Ten minutes later (moved back in the database), a new link goes to the request's own address.
        await database.ScalarAsync($"UPDATE address_confirmations SET sent_at = sent_at - interval '11 minutes' WHERE email = '{lee}'; SELECT 0");
        await AskAgainAsync(requester, statusPath);
        Assert.Contains("We have sent a new confirmation link", await requester.GetStringAsync(statusPath), StringComparison.Ordinal);
        Assert.Equal(1, await database.ScalarAsync($"SELECT count(*) FROM outbound_emails WHERE kind = 'AddressConfirmation' AND to_address = '{lee}' AND request_id IS NOT NULL"));
        Assert.Equal(2, await database.ScalarAsync($"SELECT count(*) FROM address_confirmations WHERE email = '{lee}'"));
    }

    /// <summary>The acknowledgement is the workflow's first step: it is queued moments after intake opens the request.</summary>
    internal static Task<string> AcknowledgementToAsync(TestApp app, string address) =>
        SentMail.TextAsync(app.Services, m => m.Kind == MailKind.Acknowledgement && m.ToAddress == address);

    /// <summary>The status page's "Send the confirmation link again" button, with the page's own anti-forgery token.</summary>
    private static async Task<HttpResponseMessage> AskAgainAsync(HttpClient client, string statusPath)
    {
        var page = await client.GetStringAsync(statusPath);
        var token = WebUtility.HtmlDecode(Antiforgery().Match(page).Groups[1].Value);
        return await client.PostAsync(statusPath + "?handler=ConfirmAddress",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Antiforgery();

    [GeneratedRegex("/confirm-address/[A-Za-z0-9_-]{43}")]
    private static partial Regex ConfirmLink();

    [GeneratedRegex("/status/[A-Za-z0-9_-]{43}")]
    private static partial Regex StatusLink();
}
